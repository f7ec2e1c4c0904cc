import json
def script_handler(events, context):
    return json.loads(events.get("JSONstring","{}"))
