"""The log in and out as files: ``tracker export`` and ``tracker import``."""
