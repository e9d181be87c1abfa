"""Documents to RDF: reading, entity recognition and linking, relations, statements, evidence."""
