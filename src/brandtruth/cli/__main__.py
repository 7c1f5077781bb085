from brandtruth.cli import app

app()
