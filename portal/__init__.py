"""The portal: units, Sở Nội vụ and the ministry use the warehouse through a web page (`bdg serve`).

A door like `bdg/`: it calls the same steps (`bdg.steps`) and the same ingest engine (`ingest.receive`,
`ingest.load`) as the CLI and the DAGs, and reads only the report marts (`rpt_`, `dim_`).
"""
