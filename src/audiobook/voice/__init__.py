"""Voice stage: voice profiles, models found on disk, the cast, the engines and synthesis."""
