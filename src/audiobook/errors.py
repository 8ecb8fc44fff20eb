"""One exception type for every problem a user can fix; the CLI prints it as one line."""


class AudiobookError(Exception):
    """A user-facing error: the message names the file (or thing) and the fix."""
