"""Local-only code: the Flask server, the command line and the demo data. Never packaged into Lambda."""
