"""The labelled search corpus, its scaled-up variants and the tools the search benchmarks and their test share."""
