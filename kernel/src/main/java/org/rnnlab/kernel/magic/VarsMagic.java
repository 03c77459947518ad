package org.rnnlab.kernel.magic;

import org.rnnlab.kernel.api.DisplayBundle;
import org.rnnlab.kernel.display.Html;

import java.util.ArrayList;
import java.util.List;

/** {@code %vars}: the notebook's variables with their types and values, as a table. */
final class VarsMagic implements Magic.Line {
    /** Values longer than this are cut. */
    static final int MAX_VALUE = 60;

    @Override
    public String name() {
        return "vars";
    }

    @Override
    public String help() {
        return "list the variables defined, with their types and values";
    }

    @Override
    public Object run(MagicContext context, String args) {
        return table(context.variables());
    }

    static DisplayBundle table(List<MagicContext.Variable> variables) {
        List<String[]> rows = new ArrayList<>();
        for (MagicContext.Variable v : variables) {
            String value = v.value().replaceAll("\\s+", " ");
            if (value.length() > MAX_VALUE) {
                value = value.substring(0, MAX_VALUE - 3) + "...";
            }
            rows.add(new String[] {v.name(), v.type(), value});
        }
        if (rows.isEmpty()) {
            return new DisplayBundle().put("text/plain", "No variables defined yet.");
        }
        int[] width = {4, 4, 5};
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        String fmt = "%-" + width[0] + "s  %-" + width[1] + "s  %s";
        StringBuilder plain = new StringBuilder(String.format(fmt, "Name", "Type", "Value"));
        StringBuilder html = new StringBuilder(
                "<table><thead><tr><th>Name</th><th>Type</th><th>Value</th></tr></thead><tbody>");
        for (String[] r : rows) {
            plain.append('\n').append(String.format(fmt, r[0], r[1], r[2]));
            html.append("<tr><td>").append(Html.escape(r[0])).append("</td><td>").append(Html.escape(r[1]))
                    .append("</td><td>").append(Html.escape(r[2])).append("</td></tr>");
        }
        html.append("</tbody></table>");
        return new DisplayBundle().put("text/plain", plain.toString()).put("text/html", html.toString());
    }
}
