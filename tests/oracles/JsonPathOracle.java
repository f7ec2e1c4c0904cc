// The Jayway JsonPath oracle of tests/simulate/test_jsonpath_jayway.py and docs/conformance.md.
//
// One JVM answers many cases: each line on stdin is a JSON object, each answer one JSON line on stdout, in order.
//   {"op": "read", "doc": "<JSON text>", "path": "<selector>"}
//     -> {"outcome": "value", "value": <the result>, "definite": true|false}
//      | {"outcome": "missing", "definite": ...}   PathNotFoundException: the selector finds nothing
//      | {"outcome": "failed", "error": "...", "definite": ...}   any other exception while reading
//      | {"outcome": "invalid", "error": "..."}   the selector does not compile (JsonPath.compile throws)
//   {"op": "tostring", "doc": "<JSON text>"} -> {"text": String.valueOf(the parsed document)}
//
// Jayway is configured as `JsonPath.read(json, path)` reads: Configuration.defaultConfiguration() (the
// JsonSmartJsonProvider, no Option), the document parsed from its text by that provider. Results are written with
// their Java types kept: Integer, Long and BigInteger as integers, Double as Double.toString (always with a '.' or
// an exponent), anything else tagged {"$java": class, "text": toString}.
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;

public final class JsonPathOracle {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        Configuration configuration = Configuration.defaultConfiguration();
        String line;
        while ((line = in.readLine()) != null) {
            StringBuilder answer = new StringBuilder();
            try {
                JSONObject request = (JSONObject) new JSONParser(JSONParser.MODE_RFC4627).parse(line);
                String op = (String) request.get("op");
                Object document = configuration.jsonProvider().parse((String) request.get("doc"));
                if ("tostring".equals(op)) {
                    answer.append("{\"text\":");
                    quote(answer, String.valueOf(document));
                    answer.append('}');
                } else {
                    read(answer, configuration, document, (String) request.get("path"));
                }
            } catch (Exception err) {
                answer.setLength(0);
                answer.append("{\"outcome\":\"broken\",\"error\":");
                quote(answer, err.toString());
                answer.append('}');
            }
            out.println(answer);
            if (!in.ready()) {
                out.flush();
            }
        }
        out.flush();
    }

    private static void read(StringBuilder answer, Configuration configuration, Object document, String path) {
        JsonPath compiled;
        try {
            compiled = JsonPath.compile(path);
        } catch (RuntimeException err) {
            answer.append("{\"outcome\":\"invalid\",\"error\":");
            quote(answer, err.toString());
            answer.append('}');
            return;
        }
        String definite = compiled.isDefinite() ? "true" : "false";
        try {
            Object value = compiled.read(document, configuration);
            answer.append("{\"outcome\":\"value\",\"definite\":").append(definite).append(",\"value\":");
            write(answer, value);
            answer.append('}');
        } catch (PathNotFoundException err) {
            answer.append("{\"outcome\":\"missing\",\"definite\":").append(definite).append('}');
        } catch (RuntimeException err) {
            answer.append("{\"outcome\":\"failed\",\"definite\":").append(definite).append(",\"error\":");
            quote(answer, err.toString());
            answer.append('}');
        }
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            quote(out, (String) value);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double && !((Double) value).isNaN() && !((Double) value).isInfinite()) {
            out.append(Double.toString((Double) value));
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object item : (List<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item);
            }
            out.append(']');
        } else {
            out.append("{\"$java\":");
            quote(out, value.getClass().getName());
            out.append(",\"text\":");
            quote(out, value.toString());
            out.append('}');
        }
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
