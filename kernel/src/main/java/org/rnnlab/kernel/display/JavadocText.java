package org.rnnlab.kernel.display;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A documentation comment as a reader wants it: clean text for {@code text/plain} and tidy HTML for
 * {@code text/html}, from the raw comment JShell hands out (HTML, inline tags such as <code>{&#64;link X}</code>
 * and <code>{&#64;code x}</code>, block tags such as {@code @param}).
 *
 * <p>The comment is turned into HTML first: inline tags become {@code <code>} elements or their text, block tags
 * a definition list ("Parameters:", "Returns:", ...), links lose their targets (they are relative to the JDK's
 * documentation site and would lead nowhere). The plain text is then read off that HTML: tags dropped,
 * paragraphs and list items kept as blank lines and lines, whitespace outside {@code <pre>} collapsed,
 * character entities decoded.
 */
public final class JavadocText {
    private static final Pattern QUALIFIER = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+(?=[A-Z])");
    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9]*)\\b[^>]*>");
    private static final Pattern ENTITY =
            Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,8});");
    private static final Pattern BLOCK_TAG = Pattern.compile("^\\s*@([a-zA-Z]+)\\b");
    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("amp", "&"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("mdash", "\u2014"), Map.entry("ndash", "\u2013"),
            Map.entry("hellip", "\u2026"), Map.entry("le", "\u2264"), Map.entry("ge", "\u2265"),
            Map.entry("ne", "\u2260"),
            Map.entry("times", "\u00d7"), Map.entry("minus", "\u2212"), Map.entry("pi", "\u03c0"),
            Map.entry("infin", "\u221e"), Map.entry("plusmn", "\u00b1"), Map.entry("middot", "\u00b7"),
            Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"), Map.entry("ldquo", "\u201c"),
            Map.entry("rdquo", "\u201d"), Map.entry("copy", "\u00a9"), Map.entry("reg", "\u00ae"),
            Map.entry("trade", "\u2122"), Map.entry("sect", "\u00a7"), Map.entry("deg", "\u00b0"));
    /** Headings of the block tags, in the order javadoc shows them; other tags follow in their own order. */
    private static final Map<String, String> HEADINGS = new LinkedHashMap<>();

    static {
        HEADINGS.put("deprecated", "Deprecated");
        HEADINGS.put("param", "Parameters");
        HEADINGS.put("return", "Returns");
        HEADINGS.put("throws", "Throws");
        HEADINGS.put("exception", "Throws");
        HEADINGS.put("apiNote", "API Note");
        HEADINGS.put("implSpec", "Implementation Requirements");
        HEADINGS.put("implNote", "Implementation Note");
        HEADINGS.put("since", "Since");
        HEADINGS.put("see", "See Also");
        HEADINGS.put("jls", "See The Java Language Specification");
        HEADINGS.put("spec", "External Specifications");
        HEADINGS.put("author", "Author");
        HEADINGS.put("version", "Version");
    }

    private final String html;
    private final String plain;

    private JavadocText(String html) {
        this.html = html;
        this.plain = toPlain(html);
    }

    /** Reads a raw documentation comment (as from {@code SourceCodeAnalysis.Documentation.javadoc()}). */
    public static JavadocText of(String rawComment) {
        return new JavadocText(toHtml(rawComment == null ? "" : rawComment));
    }

    /** The comment as HTML: the description, then a definition list of its block tags. */
    public String html() {
        return html;
    }

    /** The comment as readable text: no markup, paragraphs separated by blank lines. */
    public String plain() {
        return plain;
    }

    // ------------------------------------------------------------------ comment to HTML

    private static String toHtml(String raw) {
        StringBuilder description = new StringBuilder();
        List<String> tagNames = new ArrayList<>();
        List<StringBuilder> tagTexts = new ArrayList<>();
        StringBuilder current = description;
        int braces = 0;
        for (String line : dedent(raw.replace("\r\n", "\n")).split("\n", -1)) {
            Matcher tag = BLOCK_TAG.matcher(line);
            if (braces == 0 && tag.find()) {
                current = new StringBuilder(line.substring(tag.end()).strip());
                tagNames.add(tag.group(1));
                tagTexts.add(current);
            } else {
                current.append(current.length() > 0 ? "\n" : "").append(line);
            }
            braces = Math.max(0, braces + depthChange(line));
        }
        Map<String, List<String>> sections = new LinkedHashMap<>();
        HEADINGS.values().forEach(heading -> sections.put(heading, new ArrayList<>()));
        for (int t = 0; t < tagNames.size(); t++) {
            String name = tagNames.get(t);
            if (name.equals("hidden") || name.startsWith("serial")) {
                continue;
            }
            String heading = HEADINGS.getOrDefault(name, Character.toUpperCase(name.charAt(0)) + name.substring(1));
            String entry = blockTag(name, tagTexts.get(t).toString().strip());
            sections.computeIfAbsent(heading, h -> new ArrayList<>()).add(entry);
        }
        StringBuilder html = new StringBuilder(inline(description.toString().strip()));
        StringBuilder list = new StringBuilder();
        sections.forEach((heading, entries) -> {
            if (!entries.isEmpty()) {
                list.append("<dt>").append(heading).append(":</dt>");
                entries.forEach(entry -> list.append("<dd>").append(entry).append("</dd>"));
            }
        });
        if (list.length() > 0) {
            html.append(html.length() > 0 ? "\n" : "").append("<dl>").append(list).append("</dl>");
        }
        return withoutLinkTargets(html.toString());
    }

    /** One block tag's text as HTML: a parameter or exception name set apart from what is said about it. */
    private static String blockTag(String name, String text) {
        switch (name) {
            case "param":
            case "throws":
            case "exception": {
                String[] nameAndText = splitReference(text);
                String subject = "param".equals(name) ? nameAndText[0] : referenceText(nameAndText[0]);
                return "<code>" + escape(subject) + "</code>"
                        + (nameAndText[1].isEmpty() ? "" : " - " + inline(nameAndText[1]));
            }
            case "see":
                if (text.startsWith("\"") || text.startsWith("<")) {
                    return inline(text);
                }
                String[] refAndLabel = splitReference(text);
                return refAndLabel[1].isEmpty() ? "<code>" + escape(referenceText(refAndLabel[0])) + "</code>"
                        : inline(refAndLabel[1]);
            default:
                return inline(text);
        }
    }

    /** Drops {@code <a>} tags, keeping their text: their targets are relative to the JDK's documentation site. */
    private static String withoutLinkTargets(String html) {
        return html.replaceAll("(?i)</?a\\b[^>]*>", "");
    }

    private static int depthChange(String line) {
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        return depth;
    }

    /** Removes the one space javadoc comments keep after each line's {@code *}, when every line has it. */
    private static String dedent(String text) {
        String[] lines = text.split("\n", -1);
        for (String line : lines) {
            if (!line.isBlank() && !line.startsWith(" ")) {
                return text;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(lines[i].isEmpty() ? "" : lines[i].substring(1));
        }
        return sb.toString();
    }

    /** Replaces the inline tags of a piece of comment by HTML. */
    static String inline(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("{@", i);
            if (open < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, open);
            int close = matchingBrace(text, open);
            if (close < 0) {
                out.append(text, open, text.length());
                break;
            }
            String body = text.substring(open + 2, close);
            int nameEnd = 0;
            while (nameEnd < body.length() && Character.isLetter(body.charAt(nameEnd))) {
                nameEnd++;
            }
            out.append(inlineTag(body.substring(0, nameEnd), body.substring(nameEnd)));
            i = close + 1;
        }
        return out.toString();
    }

    private static String inlineTag(String name, String argument) {
        String arg = argument.strip();
        switch (name) {
            case "code":
                return "<code>" + escape(stripOneSpace(argument)) + "</code>";
            case "literal":
                return escape(stripOneSpace(argument));
            case "link":
            case "linkplain": {
                String[] refAndLabel = splitReference(arg);
                String label = refAndLabel[1].isEmpty() ? escape(referenceText(refAndLabel[0]))
                        : inline(refAndLabel[1]);
                return "link".equals(name) ? "<code>" + label + "</code>" : label;
            }
            case "value":
            case "systemProperty":
                return arg.isEmpty() ? "" : "<code>" + escape(referenceText(arg)) + "</code>";
            case "index":
                return inline(splitReference(arg)[0]);
            case "summary":
                return inline(arg);
            case "return":
                return "Returns " + inline(arg) + (arg.endsWith(".") ? "" : ".");
            case "snippet": {
                int colon = argument.indexOf(":\n");
                return colon < 0 ? "" : "<pre>" + escape(argument.substring(colon + 2).stripTrailing()) + "</pre>";
            }
            case "inheritDoc":
            case "docRoot":
                return "";
            default:
                return inline(arg);
        }
    }

    private static String stripOneSpace(String s) {
        return s.startsWith(" ") ? s.substring(1) : s;
    }

    /** Splits {@code Ref#member(A, B) label} at the first space outside parentheses. */
    private static String[] splitReference(String arg) {
        int depth = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (Character.isWhitespace(c) && depth <= 0) {
                return new String[] {arg.substring(0, i), arg.substring(i + 1).strip()};
            }
        }
        return new String[] {arg, ""};
    }

    /** {@code java.lang.Integer#MAX_VALUE} as a reader writes it: {@code Integer.MAX_VALUE}. */
    static String referenceText(String reference) {
        String ref = reference.startsWith("#") ? reference.substring(1) : reference.replace('#', '.');
        return QUALIFIER.matcher(ref).replaceAll("");
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // ------------------------------------------------------------------ HTML to text

    /** The text of an HTML fragment: tags dropped, blocks as line breaks, entities decoded. */
    static String toPlain(String html) {
        PlainWriter out = new PlainWriter();
        Deque<Integer> lists = new ArrayDeque<>();
        int pre = 0;
        int i = 0;
        while (i < html.length()) {
            if (html.startsWith("<!--", i)) {
                int end = html.indexOf("-->", i);
                i = end < 0 ? html.length() : end + 3;
                continue;
            }
            Matcher tag = TAG.matcher(html).region(i, html.length());
            if (html.charAt(i) == '<' && tag.lookingAt()) {
                boolean closing = !tag.group(1).isEmpty();
                String name = tag.group(2).toLowerCase(Locale.ROOT);
                switch (name) {
                    case "br":
                        out.lineBreak();
                        break;
                    case "pre":
                        pre += closing ? -1 : 1;
                        out.paragraph();
                        break;
                    case "ul":
                    case "ol":
                        if (closing) {
                            lists.poll();
                        } else {
                            lists.push("ol".equals(name) ? 1 : 0);
                        }
                        out.paragraph();
                        break;
                    case "li":
                        if (!closing) {
                            out.lineBreak();
                            int number = lists.isEmpty() ? 0 : lists.pop();
                            String indent = "  ".repeat(Math.max(0, lists.size()));
                            if (number > 0) {
                                out.marker(indent + "  " + number + ". ");
                                lists.push(number + 1);
                            } else {
                                out.marker(indent + "  - ");
                                lists.push(0);
                            }
                        }
                        break;
                    case "dt":
                    case "tr":
                        out.lineBreak();
                        break;
                    case "dd":
                        if (!closing) {
                            out.lineBreak();
                            out.marker("  ");
                        }
                        break;
                    case "td":
                    case "th":
                        if (!closing) {
                            out.text(" ", false);
                        }
                        break;
                    case "p":
                    case "div":
                    case "dl":
                    case "table":
                    case "blockquote":
                    case "hr":
                    case "h1":
                    case "h2":
                    case "h3":
                    case "h4":
                    case "h5":
                    case "h6":
                        out.paragraph();
                        break;
                    default:
                        break;
                }
                i = tag.end();
                continue;
            }
            int next = html.indexOf('<', i + 1);
            int end = next < 0 ? html.length() : next;
            out.text(decodeEntities(html.substring(i, end)), pre > 0);
            i = end;
        }
        return out.toString();
    }

    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                replacement = codePoint(Integer.parseInt(name.substring(2), 16), m.group());
            } else if (name.startsWith("#")) {
                replacement = codePoint(Integer.parseInt(name.substring(1)), m.group());
            } else {
                replacement = ENTITIES.getOrDefault(name, m.group());
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String codePoint(int cp, String original) {
        return Character.isValidCodePoint(cp) ? (cp == 0xa0 ? " " : new String(Character.toChars(cp))) : original;
    }

    /** Builds plain text with paragraph and line breaks that only appear between pieces of text. */
    private static final class PlainWriter {
        private final StringBuilder sb = new StringBuilder();
        /** 0: none, 1: a line break, 2: a blank line, before the next text. */
        private int pendingBreak;
        private String pendingMarker = "";
        private boolean lastWasSpace = true;

        void paragraph() {
            pendingBreak = 2;
            pendingMarker = "";
        }

        void lineBreak() {
            pendingBreak = Math.max(pendingBreak, 1);
        }

        void marker(String m) {
            pendingMarker = m;
        }

        void text(String text, boolean preformatted) {
            if (preformatted) {
                String body = text;
                if (pendingBreak > 0) {
                    body = body.replaceFirst("^\n", "");
                }
                if (body.isEmpty()) {
                    return;
                }
                startText();
                sb.append(body);
                lastWasSpace = body.endsWith("\n") || body.endsWith(" ");
                return;
            }
            String collapsed = text.replaceAll("\\s+", " ");
            if (collapsed.isBlank()) {
                if (!lastWasSpace && pendingBreak == 0 && sb.length() > 0) {
                    sb.append(' ');
                    lastWasSpace = true;
                }
                return;
            }
            if (pendingBreak > 0 || sb.length() == 0 || lastWasSpace) {
                collapsed = collapsed.stripLeading();
            }
            startText();
            sb.append(collapsed);
            lastWasSpace = collapsed.endsWith(" ");
        }

        private void startText() {
            if (sb.length() > 0 && pendingBreak > 0) {
                trimTrailingWhitespace();
                sb.append(pendingBreak == 2 ? "\n\n" : "\n");
            }
            if (pendingBreak > 0 || sb.length() == 0) {
                sb.append(pendingMarker);
            }
            pendingBreak = 0;
            pendingMarker = "";
        }

        private void trimTrailingWhitespace() {
            int end = sb.length();
            while (end > 0 && (sb.charAt(end - 1) == ' ' || sb.charAt(end - 1) == '\n')) {
                end--;
            }
            sb.setLength(end);
        }

        @Override
        public String toString() {
            trimTrailingWhitespace();
            return sb.toString().strip();
        }
    }
}
