"""Text stage: an article (or an edited script) into a script, and its sentences into speakable words.

Pure: no audio, no engines. Reading files happens only in `source`."""
