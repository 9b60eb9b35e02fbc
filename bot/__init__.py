"""calcbot: a chat bot that teaches the multivariate calculus behind machine learning."""
