FROM	alpine	AS	base
RUN	echo	tabs \
		and more
ENV	A	value with	tabs
COPY	--chown=1:1	a	/b
