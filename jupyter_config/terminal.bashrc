# Start-up file of the terminals JupyterLab opens for this course (see jupyter_server_config.py): the user's usual
# settings first, as a login shell would read them, then the course's Python first on PATH.
[ -f /etc/profile ] && . /etc/profile
if [ -f ~/.bash_profile ]; then . ~/.bash_profile; elif [ -f ~/.profile ]; then . ~/.profile; fi
[ -f ~/.bashrc ] && . ~/.bashrc
[ -n "$CSTO_COURSE_BIN" ] && export PATH="$CSTO_COURSE_BIN:$PATH"
