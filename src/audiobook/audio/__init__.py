"""Audio stage: PCM helpers, assembly, mastering, music and the ffmpeg edge."""
