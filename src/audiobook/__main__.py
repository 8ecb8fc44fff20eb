from audiobook.cli import app

app(prog_name="audiobook")
