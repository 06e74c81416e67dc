"""Stage 5, output: canned SPARQL queries and their results, export (RDF formats, GraphML/GEXF, STIX 2.1),
network diagrams and graph analysis, all read from a `Backend`.
"""
