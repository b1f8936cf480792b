"""Print the parts of a zip file (an xlsx) as text: "== NAME ==" then the part,
in the order of the archive, so two workbooks can be compared part by part
(compressed bytes depend on the zlib version; the parts do not)."""
import sys
import zipfile

z = zipfile.ZipFile(sys.argv[1])
out = sys.stdout
for info in z.infolist():
    out.write(f"== {info.filename} ==\n")
    out.write(z.read(info).decode("utf-8"))
    out.write("\n")
