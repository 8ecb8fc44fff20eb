"""Package stage: the episode files (MP3/M4B with tags) and the sidecars beside them."""
