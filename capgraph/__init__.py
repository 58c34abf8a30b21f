"""capgraph: a capability knowledge graph of AI models, built from comparison pages and blog posts."""
