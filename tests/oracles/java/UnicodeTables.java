import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Writes, as JSON on stdout, the Unicode facts java.util.regex reads from java.lang.Character in this JDK: each
 * general category, the Character predicates no category gives, each script and block (with the names forName
 * accepts), and the simple case mappings. toolkit/javaregex/java_unicode.json is this program's output on
 * OpenJDK 17; tests/javaregex/test_unicode_tables.py runs it again and compares (run with
 * --add-opens java.base/java.lang=ALL-UNNAMED: the alias tables are private).
 *
 * Ranges are written as space-separated hex "start-end" (or "cp" alone); case mappings as "cp:mapped".
 */
public final class UnicodeTables {
    private static final String[] CATEGORY = new String[31];

    static {
        CATEGORY[Character.UNASSIGNED] = "Cn";
        CATEGORY[Character.UPPERCASE_LETTER] = "Lu";
        CATEGORY[Character.LOWERCASE_LETTER] = "Ll";
        CATEGORY[Character.TITLECASE_LETTER] = "Lt";
        CATEGORY[Character.MODIFIER_LETTER] = "Lm";
        CATEGORY[Character.OTHER_LETTER] = "Lo";
        CATEGORY[Character.NON_SPACING_MARK] = "Mn";
        CATEGORY[Character.ENCLOSING_MARK] = "Me";
        CATEGORY[Character.COMBINING_SPACING_MARK] = "Mc";
        CATEGORY[Character.DECIMAL_DIGIT_NUMBER] = "Nd";
        CATEGORY[Character.LETTER_NUMBER] = "Nl";
        CATEGORY[Character.OTHER_NUMBER] = "No";
        CATEGORY[Character.SPACE_SEPARATOR] = "Zs";
        CATEGORY[Character.LINE_SEPARATOR] = "Zl";
        CATEGORY[Character.PARAGRAPH_SEPARATOR] = "Zp";
        CATEGORY[Character.CONTROL] = "Cc";
        CATEGORY[Character.FORMAT] = "Cf";
        CATEGORY[Character.PRIVATE_USE] = "Co";
        CATEGORY[Character.SURROGATE] = "Cs";
        CATEGORY[Character.DASH_PUNCTUATION] = "Pd";
        CATEGORY[Character.START_PUNCTUATION] = "Ps";
        CATEGORY[Character.END_PUNCTUATION] = "Pe";
        CATEGORY[Character.CONNECTOR_PUNCTUATION] = "Pc";
        CATEGORY[Character.OTHER_PUNCTUATION] = "Po";
        CATEGORY[Character.MATH_SYMBOL] = "Sm";
        CATEGORY[Character.CURRENCY_SYMBOL] = "Sc";
        CATEGORY[Character.MODIFIER_SYMBOL] = "Sk";
        CATEGORY[Character.OTHER_SYMBOL] = "So";
        CATEGORY[Character.INITIAL_QUOTE_PUNCTUATION] = "Pi";
        CATEGORY[Character.FINAL_QUOTE_PUNCTUATION] = "Pf";
    }

    /** Runs of code points, per key, built in one pass over all code points. */
    private static final class Runs {
        final Map<String, StringBuilder> text = new TreeMap<>();
        final Map<String, int[]> open = new TreeMap<>();

        void add(String key, int cp) {
            int[] run = open.get(key);
            if (run != null && run[1] == cp - 1) {
                run[1] = cp;
                return;
            }
            if (run != null) {
                flush(key, run);
            }
            open.put(key, new int[] {cp, cp});
        }

        void flush(String key, int[] run) {
            StringBuilder out = text.computeIfAbsent(key, k -> new StringBuilder());
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(Integer.toHexString(run[0]));
            if (run[1] != run[0]) {
                out.append('-').append(Integer.toHexString(run[1]));
            }
        }

        Map<String, String> done() {
            for (Map.Entry<String, int[]> entry : open.entrySet()) {
                flush(entry.getKey(), entry.getValue());
            }
            open.clear();
            Map<String, String> out = new TreeMap<>();
            text.forEach((key, value) -> out.put(key, value.toString()));
            return out;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, IntPredicate> properties = new LinkedHashMap<>();
        properties.put("alphabetic", Character::isAlphabetic);
        properties.put("ideographic", Character::isIdeographic);
        properties.put("lowercase", Character::isLowerCase);
        properties.put("uppercase", Character::isUpperCase);
        properties.put("mirrored", Character::isMirrored);
        properties.put("whitespace", Character::isWhitespace);
        properties.put("javaIdentifierStart", Character::isJavaIdentifierStart);
        properties.put("javaIdentifierPart", Character::isJavaIdentifierPart);
        properties.put("unicodeIdentifierStart", Character::isUnicodeIdentifierStart);
        properties.put("unicodeIdentifierPart", Character::isUnicodeIdentifierPart);
        properties.put("identifierIgnorable", Character::isIdentifierIgnorable);

        Runs categories = new Runs();
        Runs predicates = new Runs();
        Runs scripts = new Runs();
        Runs blocks = new Runs();
        StringBuilder upper = new StringBuilder();
        StringBuilder lower = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            categories.add(CATEGORY[Character.getType(cp)], cp);
            for (Map.Entry<String, IntPredicate> entry : properties.entrySet()) {
                if (entry.getValue().test(cp)) {
                    predicates.add(entry.getKey(), cp);
                }
            }
            scripts.add(Character.UnicodeScript.of(cp).name(), cp);
            Character.UnicodeBlock block = Character.UnicodeBlock.of(cp);
            if (block != null) {
                blocks.add(block.toString(), cp);
            }
            int up = Character.toUpperCase(cp);
            if (up != cp) {
                upper.append(upper.length() > 0 ? " " : "").append(Integer.toHexString(cp)).append(':')
                        .append(Integer.toHexString(up));
            }
            int down = Character.toLowerCase(cp);
            if (down != cp) {
                lower.append(lower.length() > 0 ? " " : "").append(Integer.toHexString(cp)).append(':')
                        .append(Integer.toHexString(down));
            }
        }

        Map<String, String> scriptNames = new TreeMap<>();
        for (Character.UnicodeScript script : Character.UnicodeScript.values()) {
            scriptNames.put(script.name(), script.name());
        }
        Field aliases = Character.UnicodeScript.class.getDeclaredField("aliases");
        aliases.setAccessible(true);
        ((Map<?, ?>) aliases.get(null)).forEach((key, value) -> scriptNames.put(
                (String) key, ((Character.UnicodeScript) value).name()));

        Map<String, String> blockNames = new TreeMap<>();
        Field map = Character.UnicodeBlock.class.getDeclaredField("map");
        map.setAccessible(true);
        ((Map<?, ?>) map.get(null)).forEach((key, value) -> blockNames.put((String) key, value.toString()));

        StringBuilder out = new StringBuilder();
        out.append("{\n");
        out.append("  \"java\": ").append(quote(System.getProperty("java.version"))).append(",\n");
        object(out, "categories", categories.done());
        object(out, "properties", predicates.done());
        object(out, "scripts", scripts.done());
        object(out, "script_names", scriptNames);
        object(out, "blocks", blocks.done());
        object(out, "block_names", blockNames);
        out.append("  \"upper\": ").append(quote(upper.toString())).append(",\n");
        out.append("  \"lower\": ").append(quote(lower.toString())).append("\n");
        out.append("}\n");
        System.out.print(out);
    }

    private static void object(StringBuilder out, String name, Map<String, String> entries) {
        out.append("  ").append(quote(name)).append(": {\n");
        List<String> lines = new ArrayList<>();
        entries.forEach((key, value) -> lines.add("    " + quote(key) + ": " + quote(value)));
        out.append(String.join(",\n", lines)).append("\n  },\n");
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
