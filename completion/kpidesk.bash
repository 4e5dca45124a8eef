# bash completion for kpidesk(1)                          -*- shell-script -*-
#
# Commands, subcommands, options and their values come from the program
# itself (`kpidesk __complete line WORD...`), so they follow its command
# table; agent names and handles from the database in use, category keys
# and labels and tier keys from the rulebook in use (--db and --config
# typed on the line are honoured). A missing database offers no agents and
# is never created.

_kpidesk()
{
    local cur prev words cword split
    _init_completion -s || return

    # The words typed so far; with `--opt=val` split by -s, the option
    # and the value being completed are passed as two words.
    local -a line=("${words[@]:1:cword-1}")
    if [[ $split == true ]]; then
        line+=("$prev" "$cur")
    else
        line+=("$cur")
    fi

    local -a cands
    mapfile -t cands < <("$1" __complete line -- "${line[@]}" 2>/dev/null)

    local c i=0
    COMPREPLY=()
    for c in "${cands[@]}"; do
        if [[ $c == @file ]]; then
            _filedir
            return
        fi
        # A label such as "迟到/早退" or a name with a space is one word.
        COMPREPLY[i++]=$(printf '%q' "$c")
    done
    # Options that take a value: no space yet after "--format=".
    [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace
} &&
    complete -F _kpidesk kpidesk

# ex: filetype=sh
