package io.pushcqrs.ops.ui;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: left-aligned columns two spaces apart, a dashed rule under the header, long cells cut. */
public final class TextTable {
    /** What an empty cell shows. */
    public static final String EMPTY = "-";
    private static final String ELLIPSIS = "...";

    private final List<String> headers;
    private final int maxWidth;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> headers, int maxWidth) {
        if (maxWidth < ELLIPSIS.length() + 1) {
            throw new IllegalArgumentException("maxWidth must be at least " + (ELLIPSIS.length() + 1));
        }
        this.headers = List.copyOf(headers);
        this.maxWidth = maxWidth;
    }

    public TextTable add(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.size());
        }
        List<String> row = new ArrayList<>();
        for (String c : cells) {
            row.add(truncate(c == null || c.isEmpty() ? EMPTY : c.replaceAll("[\\r\\n\\t]", " "), maxWidth));
        }
        rows.add(row);
        return this;
    }

    /** The value cut to {@code width} characters, ending in "..." when cut. */
    public static String truncate(String value, int width) {
        if (value.length() <= width) {
            return value;
        }
        return value.substring(0, width - ELLIPSIS.length()) + ELLIPSIS;
    }

    public String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths);
        List<String> rule = new ArrayList<>();
        for (int w : widths) {
            rule.add("-".repeat(w));
        }
        line(sb, rule, widths);
        for (List<String> row : rows) {
            line(sb, row, widths);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                l.append("  ");
            }
            l.append(cells.get(i));
            if (i < cells.size() - 1) {
                l.append(" ".repeat(widths[i] - cells.get(i).length()));
            }
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
