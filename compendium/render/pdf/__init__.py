"""Stage 6: PDF layout. The only sub-package that imports WeasyPrint: jobs, pieces and merge."""
