import { createUsage, USAGE_COUNTERS } from "../../src/core";
import { freshStore } from "../kit/store";

describe("F22 usage figures", () => {
  it("counts, survives a reopen and exports as CSV", async () => {
    const first = freshStore({ name: "usage" });
    const usage = createUsage(first.usage);
    await Promise.all([usage.count("imsSent"), usage.count("imsSent"), usage.count("historyBytes", 1500), usage.count("imsConverted", 0)]);
    first.close();
    const again = createUsage(freshStore({ name: "usage", indexedDB: first.factory }).usage);
    const figures = await again.figures();
    expect(figures).toMatchObject({ imsSent: 2, historyBytes: 1500, imsConverted: 0 });
    expect(Object.keys(figures)).toEqual([...USAGE_COUNTERS]);
    const csv = await again.exportCsv(new Date("2026-11-23T00:00:00Z"));
    expect(csv.split("\n")[0]).toBe("counter,count,exported_at");
    expect(csv).toContain("imsSent,2,2026-11-23T00:00:00.000Z");
    expect(csv).toContain("historyBytes,1500,");
  });
});
