"""Settings: loading, validating and saving the user's choices."""
