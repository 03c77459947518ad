package org.rnnlab.kernel.magic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class CellParserTest {
    private static final java.util.function.Predicate<String> ENDS_WITH_SEMICOLON_OR_BRACE =
            code -> code.strip().endsWith(";") || code.strip().endsWith("}");

    @Test
    void lineMagicsAndCodeRunInCellOrder() {
        String cell = "%maven a:b:1\nint x = 1;\n%jars lib/*.jar\nx + 1";

        List<CellParser.Part> parts = CellParser.parse(cell, ENDS_WITH_SEMICOLON_OR_BRACE);

        assertEquals(4, parts.size());
        assertEquals(new CellParser.LineMagic("maven", "a:b:1", 0), parts.get(0));
        assertEquals(new CellParser.Code("int x = 1;\n", 13), parts.get(1));
        assertEquals("jars", ((CellParser.LineMagic) parts.get(2)).name());
        assertEquals(new CellParser.Code("x + 1", cell.indexOf("x + 1")), parts.get(3));
    }

    @Test
    void cellMagicTakesTheWholeBody() {
        List<CellParser.Part> parts = CellParser.parse("%%time  quiet\nint a = 1;\na", c -> true);

        CellParser.CellMagic magic = assertInstanceOf(CellParser.CellMagic.class, parts.get(0));
        assertEquals("time", magic.name());
        assertEquals("quiet", magic.args());
        assertEquals("int a = 1;\na", magic.body());
        assertEquals(14, magic.bodyOffset());
    }

    @Test
    void percentLineInsideAnUnfinishedExpressionStaysCode() {
        List<CellParser.Part> parts = CellParser.parse("int r = total\n  %count;", ENDS_WITH_SEMICOLON_OR_BRACE);

        assertEquals(List.of(new CellParser.Code("int r = total\n  %count;", 0)), parts);
    }

    @Test
    void argumentsSplitLikeAShell() {
        assertEquals(List.of("a", "b c", "d"), CellParser.splitArgs(" a 'b c'   \"d\" "));
        assertEquals(List.of(), CellParser.splitArgs("   "));
    }

    @Test
    void blankingMagicsKeepsOffsets() {
        String cell = "%maven x:y:1\nint a;";

        String blanked = CellParser.blankMagics(cell);

        assertEquals(cell.length(), blanked.length());
        assertEquals("            \nint a;", blanked);
    }
}
