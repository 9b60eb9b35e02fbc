"""Pure calculus over SymPy objects: parser, step engine, operations. No asyncio, no I/O."""
