"""Quizzes with spaced repetition: the engine the learning commands call, and FSRS scheduling."""
