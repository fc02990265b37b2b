/**
 * The order entries have in their YAML file. Astro's content collections come back sorted by id,
 * but some reference lists read best in the order their authors wrote them (endpoints along a flow).
 */
export function fileOrder(yamlSource: string): (id: string) => number {
  const ids = [...yamlSource.matchAll(/^- id: ['"]?([^'"\s]+)['"]?\s*$/gm)].map((m) => m[1]);
  return (id) => {
    const index = ids.indexOf(id);
    return index === -1 ? ids.length : index;
  };
}
