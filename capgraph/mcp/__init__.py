"""capgraph's MCP server: the match queries as tools for AI agents (stdio and streamable HTTP)."""
