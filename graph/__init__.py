"""The dataset: assembly, OWL-RL reasoning, SHACL validation, the store, export."""
