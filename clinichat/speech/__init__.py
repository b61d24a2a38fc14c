"""Speech: the microphone and audio files in memory, Whisper transcription (of a file, or of
dictation as it is spoken), the speech models and how fast they run here."""
