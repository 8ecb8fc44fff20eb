"""Apple Podcasts categories, and reading a category as people write it."""

from __future__ import annotations

from audiobook.errors import AudiobookError

# Apple Podcasts categories (https://podcasters.apple.com/support/1691-apple-podcasts-categories).
ITUNES_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality",
    ),
    "Science": (
        "Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics", "Natural Sciences",
        "Nature", "Physics", "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships",
    ),
    "Sports": (
        "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey", "Rugby",
        "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}
DEFAULT_CATEGORY = "News"  # the tool publishes news interviews


def parse_category(value: str) -> tuple[str, str | None]:
    """'News/Politics', 'News > Politics', 'news' or just 'Politics' -> ('News', 'Politics' | None)."""
    parts = [p.strip() for p in value.replace(">", "/").split("/") if p.strip()]
    lookup = {c.casefold(): c for c in ITUNES_CATEGORIES}
    if len(parts) == 1:
        if parts[0].casefold() in lookup:
            return lookup[parts[0].casefold()], None
        wanted = parts[0].casefold()
        parents = [c for c, subs in ITUNES_CATEGORIES.items() if wanted in map(str.casefold, subs)]
        if len(parents) == 1:
            return parents[0], _canonical_sub(parents[0], parts[0])
    elif len(parts) == 2 and parts[0].casefold() in lookup:
        top = lookup[parts[0].casefold()]
        sub = _canonical_sub(top, parts[1])
        if sub:
            return top, sub
        choices = ", ".join(ITUNES_CATEGORIES[top]) or "none"
        raise AudiobookError(
            f"category: {value!r} is not an Apple Podcasts category; subcategories of {top}: {choices}"
        )
    raise AudiobookError(
        f"category: {value!r} is not an Apple Podcasts category; use one of {', '.join(ITUNES_CATEGORIES)} "
        "(optionally 'Top/Sub', e.g. 'News/Politics')"
    )


def _canonical_sub(top: str, sub: str) -> str | None:
    return next((s for s in ITUNES_CATEGORIES[top] if s.casefold() == sub.casefold()), None)
