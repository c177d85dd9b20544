FROM {{.Base}}
