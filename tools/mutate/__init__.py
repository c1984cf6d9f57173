"""make mutate: a mutation campaign over rtl/ (docs/mutation.md)."""
