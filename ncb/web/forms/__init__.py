"""Form parsing of the workbench pages: posted fields -> the service's input payload, and the
service's refusals -> the input they concern. One module per channel; no rule lives here."""
