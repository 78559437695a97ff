# bash completion for vmtui(1).
# The candidates come from vmtui itself (`vmtui complete words`): every
# command, option and value it knows, the URIs and hosts of config.yaml,
# ~/.ssh/config's aliases, the themes, and the guests, pools, networks and
# volumes of the host the line names (-c/-H), asked with a short timeout
# ($VMTUI_COMPLETE_TIMEOUT seconds, default 2).

_vmtui()
{
	local cur words cword prog line mode c q brk
	local -a out

	if declare -F _get_comp_words_by_ref >/dev/null; then
		# = and : stay in the word: --connect=URI, qemu:///system
		_get_comp_words_by_ref -n =: cur words cword
	else
		line=${COMP_LINE:0:COMP_POINT}
		read -ra words <<<"$line"
		[[ -z $line || $line == *[[:space:]] ]] && words+=("")
		cword=$((${#words[@]} - 1))
		cur=${words[cword]}
	fi
	prog=${words[0]}
	[[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}

	mapfile -t out < <("$prog" complete words -- vmtui "${words[@]:1:cword-1}" "$cur" 2>/dev/null)
	((${#out[@]})) || return 0
	mode=${out[0]}
	COMPREPLY=()
	for c in "${out[@]:1}"; do
		[[ $c == "$cur"* ]] || continue
		if [[ $c == *[^A-Za-z0-9._:/@=+,%^-]* ]]; then
			printf -v q '%q' "$c"
			COMPREPLY+=("$q")
		else
			COMPREPLY+=("$c")
		fi
	done
	case $mode in
	files)
		compopt -o filenames 2>/dev/null
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
		;;
	dirs)
		compopt -o filenames 2>/dev/null
		mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
		;;
	esac
	# readline replaces only what follows the last = or : of the word
	brk=${cur%"${cur##*[=:]}"}
	if [[ -n $brk && $COMP_WORDBREAKS == *"${brk: -1}"* ]]; then
		COMPREPLY=("${COMPREPLY[@]#"$brk"}")
	fi
	return 0
}
complete -F _vmtui vmtui
