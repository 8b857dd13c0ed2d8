"""EHCP quality audits: frameworks, grading, moderation statistics and sampling."""
