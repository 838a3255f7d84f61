"""The baseline every API figure is divided by: the smallest Flask JSON app."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/hello")
def hello():
    """Answer a constant JSON document."""
    return jsonify(status="ok")
