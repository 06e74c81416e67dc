"""Stage 3, the graph: the extraction dataclasses (`model`), deterministic IRIs, the vocabulary checked
against the ontology, the RDF builder with sentence-level provenance, the kill chain and SHACL validation.
"""
