"""Pure rules of governance: no Django inside (an import contract checks it)."""
