// The apk oracle: apk-tools' version comparison as ported by
// github.com/knqyf263/go-apk-version (Debian package
// golang-github-knqyf263-go-apk-version-dev), built by versions.py from the
// packaged source.  Reads "A\tB" lines, prints -1, 0 or 1 per line; with
// -valid reads one version a line and prints 1 or 0.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	version "github.com/knqyf263/go-apk-version"
)

func main() {
	valid := len(os.Args) > 1 && os.Args[1] == "-valid"
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		line := in.Text()
		if valid {
			if version.Valid(line) {
				fmt.Fprintln(out, 1)
			} else {
				fmt.Fprintln(out, 0)
			}
			continue
		}
		ab := strings.SplitN(line, "\t", 2)
		if len(ab) != 2 {
			fmt.Fprintln(out, "E")
			continue
		}
		fmt.Fprintln(out, version.Version(ab[0]).Compare(version.Version(ab[1])))
	}
}
