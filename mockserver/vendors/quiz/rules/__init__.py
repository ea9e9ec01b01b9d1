"""Business rules of the quiz-sessions vendor (no HTTP here)."""
