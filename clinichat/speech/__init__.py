"""Speech: audio files decoded in memory, Whisper transcription, and the speech models."""
