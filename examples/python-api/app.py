from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return "", 204


@app.get("/")
def index():
    return jsonify(message="Hello from python-api")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
