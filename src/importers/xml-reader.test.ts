import { describe, expect, it } from "vitest";
import { ImportError } from "../errors/index.js";
import { child, elementPath, parseXml, textAt } from "./xml-reader.js";

function fails(text: string): string {
  try {
    parseXml(text, "x.xml");
  } catch (error) {
    if (error instanceof ImportError) return error.message;
    throw error;
  }
  throw new Error("expected an ImportError");
}

describe("parseXml", () => {
  it("reads elements by local name, attributes, entities, character references, CDATA, comments and PIs", () => {
    const root = parseXml(
      `<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x "boom">]>\n<p:d xmlns:p="urn:x" p:a='1 &gt; 0' b="&quot;q&quot;">\n<!-- note -->\n<p:e>a &amp; b &#233;&#x20AC;<![CDATA[<raw> & ]]></p:e><?pi ignored?><f/></p:d>`,
      "x.xml",
    );
    expect(root.name).toBe("d");
    expect(root.attributes).toEqual({ a: "1 > 0", b: '"q"' });
    expect(textAt(root, "e")).toBe("a & b é€<raw> &");
    expect(child(root, "e")?.line).toBe(5);
    expect(root.children.map((c) => c.name)).toEqual(["e", "f"]);
  });

  it("gives element paths with indexes among same-named siblings", () => {
    const root = parseXml("<D><S><N><A/></N><N><A/></N></S></D>", "x.xml");
    const second = root.children[0]?.children[1]?.children[0];
    expect(second && elementPath(second)).toBe("D/S/N[2]/A");
  });

  it("never expands entities a DOCTYPE declares", () => {
    expect(fails('<!DOCTYPE d [<!ENTITY x "boom">]><d>&x;</d>')).toBe("x.xml:1: unknown entity &x;");
  });

  it("rejects mismatched, unclosed and stray tags, text outside the root and malformed attributes, with lines", () => {
    expect(fails("<a>\n<b></c>\n</a>")).toBe("x.xml:2: expected </b> but found </c>");
    expect(fails("<a>\n<b>")).toBe("x.xml:2: <b> is never closed");
    expect(fails("<a/></a>")).toBe("x.xml:1: </a> closes nothing");
    expect(fails("<a/>junk")).toBe("x.xml:1: text outside the root element");
    expect(fails('<a x="1" y></a>')).toBe('x.xml:1: malformed attribute "y"');
    expect(fails("<a><!-- open")).toBe("x.xml:1: comment is never closed");
    expect(fails("")).toBe("x.xml:1: holds no XML element");
    expect(fails("<1a/>")).toBe('x.xml:1: "<1a" is not a valid element name');
  });
});
