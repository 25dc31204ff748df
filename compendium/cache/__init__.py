"""The build cache: one store, one key scheme, sealed files; wrapped around the stages by the pipeline."""
