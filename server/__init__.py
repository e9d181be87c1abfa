"""The SPARQL endpoint, linked-data pages and the command line."""
