module sejit

go 1.26.8
