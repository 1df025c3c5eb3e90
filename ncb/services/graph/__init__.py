"""Link analysis over identities and cases, filtered by what the reader may see."""
