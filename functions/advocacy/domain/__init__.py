"""Rules of the advocacy domain, free of AWS, Flask and storage concerns."""
