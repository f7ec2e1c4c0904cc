import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * java.util.regex as an oracle, one JVM for a whole test session: each line of stdin is a JSON array of strings,
 * [pattern, value, value, ...]; each answer, one line of stdout, is a JSON array:
 * ["error", description, index] when Pattern.compile(pattern) throws PatternSyntaxException, else
 * ["ok", matches, finds], where matches and finds hold one letter per value: T or F for
 * pattern.matcher(value).matches() (and .find()), E when matching threw (a StackOverflowError on a long value).
 * Patterns are compiled with no flags, as SSM compiles allowedPattern.
 */
public final class RegexOracle {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) {
            List<String> request = parse(line);
            out.println(answer(request));
            out.flush();
        }
    }

    private static String answer(List<String> request) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(request.get(0));
        } catch (PatternSyntaxException err) {
            return "[\"error\"," + quote(err.getDescription()) + "," + err.getIndex() + "]";
        } catch (RuntimeException | StackOverflowError err) {
            return "[\"error\"," + quote(err.getClass().getName()) + ",-1]";
        }
        StringBuilder matches = new StringBuilder();
        StringBuilder finds = new StringBuilder();
        for (String value : request.subList(1, request.size())) {
            matches.append(decide(pattern, value, true));
            finds.append(decide(pattern, value, false));
        }
        return "[\"ok\",\"" + matches + "\",\"" + finds + "\"]";
    }

    private static char decide(Pattern pattern, String value, boolean whole) {
        try {
            Matcher matcher = pattern.matcher(value);
            return (whole ? matcher.matches() : matcher.find()) ? 'T' : 'F';
        } catch (RuntimeException | StackOverflowError err) {
            return 'E';
        }
    }

    /** A JSON array of strings (the only shape the client sends). */
    private static List<String> parse(String line) {
        List<String> items = new ArrayList<>();
        int i = line.indexOf('[') + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                StringBuilder item = new StringBuilder();
                i++;
                while (line.charAt(i) != '"') {
                    char d = line.charAt(i++);
                    if (d != '\\') {
                        item.append(d);
                        continue;
                    }
                    char e = line.charAt(i++);
                    switch (e) {
                        case 'n' -> item.append('\n');
                        case 'r' -> item.append('\r');
                        case 't' -> item.append('\t');
                        case 'b' -> item.append('\b');
                        case 'f' -> item.append('\f');
                        case 'u' -> {
                            item.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> item.append(e);
                    }
                }
                items.add(item.toString());
            } else if (c == ']') {
                break;
            }
            i++;
        }
        return items;
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
