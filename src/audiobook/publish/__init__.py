"""Publish stage: the podcast feed for a folder of episodes (`feed`) and each episode's read-along page
(`readalong`). The modules are imported where used: a render needs the page, not the feed's libraries."""
