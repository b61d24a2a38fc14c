<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About ClinicChat</source>
        <translation>Acerca de ClinicChat</translation>
    </message>
    <message>
        <source>ClinicChat %1</source>
        <translation>ClinicChat %1</translation>
    </message>
    <message>
        <source>A private, offline chat assistant for clinicians. Questions and answers stay on this computer; the history is stored encrypted.</source>
        <translation>Un asistente de chat privado y sin conexión para profesionales sanitarios. Las preguntas y respuestas no salen de este equipo; el historial se guarda cifrado.</translation>
    </message>
    <message>
        <source>Versions, folders and licences</source>
        <translation>Versiones, carpetas y licencias</translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation>&amp;Copiar detalles</translation>
    </message>
    <message>
        <source>Copy these details as text, for example for IT support</source>
        <translation>Copiar estos detalles como texto, por ejemplo para el soporte informático</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocida</translation>
    </message>
    <message>
        <source>Model backend (gpt4all)</source>
        <translation>Motor del modelo (gpt4all)</translation>
    </message>
    <message>
        <source>as bundled with gpt4all %1 (no build number recorded); builds: %2</source>
        <translation>incluido en gpt4all %1 (sin número de compilación registrado); compilaciones: %2</translation>
    </message>
    <message>
        <source>Encryption (SQLCipher)</source>
        <translation>Cifrado (SQLCipher)</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>no disponible</translation>
    </message>
    <message>
        <source>Model backend (xllamacpp)</source>
        <translation>Motor de modelos (xllamacpp)</translation>
    </message>
    <message>
        <source>release of %1</source>
        <translation>versión de %1</translation>
    </message>
    <message>
        <source>Keychain (keyring)</source>
        <translation>Llavero (keyring)</translation>
    </message>
    <message>
        <source>Operating system</source>
        <translation>Sistema operativo</translation>
    </message>
    <message>
        <source>%1 (trusted)</source>
        <translation>%1 (de confianza)</translation>
    </message>
    <message>
        <source>%1 (not trusted: passphrase used)</source>
        <translation>%1 (no es de confianza: se usa la frase de contraseña)</translation>
    </message>
    <message>
        <source>Data (encrypted history)</source>
        <translation>Datos (historial cifrado)</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versiones</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Carpetas</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>Licencias</translation>
    </message>
    <message>
        <source>not declared</source>
        <translation>no declarada</translation>
    </message>
    <message>
        <source>Other Python packages included</source>
        <translation>Otros paquetes de Python incluidos</translation>
    </message>
</context>
<context>
    <name>AnswerCopy</name>
    <message>
        <source>Answer copied as plain text</source>
        <translation>Respuesta copiada como texto sin formato</translation>
    </message>
    <message>
        <source>Answer copied as Markdown</source>
        <translation>Respuesta copiada como Markdown</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <source>Nothing in the documents matches this question; the model was told so.</source>
        <translation>Nada en los documentos coincide con esta pregunta; se le ha indicado así al modelo.</translation>
    </message>
    <message numerus="yes">
        <source>%n passage(s) found in the documents did not fit in the model&apos;s memory and were left out.</source>
        <translation>
            <numerusform>%n pasaje encontrado en los documentos no cabía en la memoria del modelo y se ha omitido.</numerusform>
            <numerusform>%n pasajes encontrados en los documentos no cabían en la memoria del modelo y se han omitido.</numerusform>
        </translation>
    </message>
    <message>
        <source>The clinic&apos;s documents do not answer this question.</source>
        <translation>Los documentos del centro no responden a esta pregunta.</translation>
    </message>
    <message>
        <source>The model found no answer in the clinic&apos;s documents; what it wrote is from general knowledge.</source>
        <translation>El modelo no encontró la respuesta en los documentos del centro; lo que ha escrito procede de su conocimiento general.</translation>
    </message>
    <message numerus="yes">
        <source>The conversation is longer than the model can remember: the %n oldest exchange(s) were left out. The instructions (system prompt) are kept.</source>
        <translation>
            <numerusform>La conversación es más larga de lo que el modelo puede recordar: se ha omitido %n intercambio, el más antiguo. Se conservan las instrucciones del sistema (system prompt).</numerusform>
            <numerusform>La conversación es más larga de lo que el modelo puede recordar: se han omitido los %n intercambios más antiguos. Se conservan las instrucciones del sistema (system prompt).</numerusform>
        </translation>
    </message>
    <message>
        <source>The model spent its whole answer length reasoning and wrote no answer. In Settings, turn off “Think before answering” for this model or raise its maximum answer length.</source>
        <translation>El modelo dedicó toda la longitud de la respuesta a razonar y no escribió ninguna respuesta. En Configuración, desactive «Pensar antes de responder» para este modelo o aumente su longitud máxima de respuesta.</translation>
    </message>
    <message>
        <source>The answer was cut off because the model&apos;s memory is full. Start a new conversation to start afresh.</source>
        <translation>La respuesta se ha cortado porque la memoria del modelo está llena. Inicie una conversación nueva para empezar de cero.</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Answers only from the documents: %1</source>
        <translation>Responde solo a partir de los documentos: %1</translation>
    </message>
    <message>
        <source>Asks the documents: %1</source>
        <translation>Consulta los documentos: %1</translation>
    </message>
    <message>
        <source>Preset: %1 — %2</source>
        <translation>Plantilla: %1 — %2</translation>
    </message>
    <message>
        <source>Preset: %1</source>
        <translation>Plantilla: %1</translation>
    </message>
    <message>
        <source>This conversation keeps the instructions of the preset it started with.</source>
        <translation>Esta conversación conserva las instrucciones de la plantilla con la que se inició.</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Plantilla</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Mensaje de error</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send the question (Enter)</source>
        <translation>Enviar la pregunta (Enter)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Detener la respuesta (Esc)</translation>
    </message>
    <message>
        <source>Copy answer</source>
        <translation>Copiar respuesta</translation>
    </message>
    <message>
        <source>Copy the last answer as plain text (Ctrl+Shift+C)</source>
        <translation>Copiar la última respuesta como texto sin formato (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Regenerar</translation>
    </message>
    <message>
        <source>Answer the last question again</source>
        <translation>Volver a responder a la última pregunta</translation>
    </message>
    <message>
        <source>Answers come from a language model and can be wrong. Check every clinical fact before you rely on it.</source>
        <translation>Las respuestas proceden de un modelo de lenguaje y pueden ser erróneas. Compruebe cada dato clínico antes de basarse en él.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Conversation</source>
        <translation>Conversación</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Historial</translation>
    </message>
    <message>
        <source>&amp;Documents</source>
        <translation>&amp;Documentos</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;Nueva conversación</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>&amp;Modelos…</translation>
    </message>
    <message>
        <source>Clinic &amp;server…</source>
        <translation>&amp;Servidor de la clínica…</translation>
    </message>
    <message>
        <source>&amp;Import model file…</source>
        <translation>&amp;Importar archivo de modelo…</translation>
    </message>
    <message>
        <source>&amp;Transcribe a recording…</source>
        <translation>&amp;Transcribir una grabación…</translation>
    </message>
    <message>
        <source>Record a &amp;consultation…</source>
        <translation>&amp;Grabar una consulta…</translation>
    </message>
    <message>
        <source>&amp;Export conversation…</source>
        <translation>&amp;Exportar conversación…</translation>
    </message>
    <message>
        <source>&amp;Delete all conversations…</source>
        <translation>E&amp;liminar todas las conversaciones…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message>
        <source>Find best &amp;thread count…</source>
        <translation>Buscar el número óptimo de &amp;hilos…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Copy last answer as plain text</source>
        <translation>&amp;Copiar la última respuesta como texto sin formato</translation>
    </message>
    <message>
        <source>Copy last answer as &amp;Markdown</source>
        <translation>Copiar la última respuesta como &amp;Markdown</translation>
    </message>
    <message>
        <source>&amp;Search conversations</source>
        <translation>&amp;Buscar conversaciones</translation>
    </message>
    <message>
        <source>&amp;Dictate into the question box</source>
        <translation>Dic&amp;tar en el cuadro de pregunta</translation>
    </message>
    <message>
        <source>S&amp;top answering</source>
        <translation>&amp;Detener la respuesta</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Bloquear</translation>
    </message>
    <message>
        <source>Export &amp;recovery key…</source>
        <translation>Exportar la clave de &amp;recuperación…</translation>
    </message>
    <message>
        <source>Change &amp;passphrase…</source>
        <translation>Cambiar la &amp;frase de contraseña…</translation>
    </message>
    <message>
        <source>&amp;Documents for this conversation…</source>
        <translation>&amp;Documentos de esta conversación…</translation>
    </message>
    <message>
        <source>ClinicChat &amp;guide…</source>
        <translation>&amp;Guía de ClinicChat…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>&amp;Atajos de teclado…</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>Abrir la carpeta de &amp;registros</translation>
    </message>
    <message>
        <source>&amp;About ClinicChat…</source>
        <translation>&amp;Acerca de ClinicChat…</translation>
    </message>
</context>
<context>
    <name>ConsultationFlow</name>
    <message>
        <source>Record a consultation</source>
        <translation>Grabar una consulta</translation>
    </message>
    <message>
        <source>Before recording, tell the patient and ask for their consent.

ClinicChat writes down what is said, on this computer only; the sound is never saved and is dropped as soon as it is transcribed. When you finish, the transcript opens in a new conversation, ready for a SOAP note, for you to read and correct before anything is sent to the model.</source>
        <translation>Antes de grabar, informe al paciente y pida su consentimiento.

ClinicChat pone por escrito lo que se dice, solo en este equipo; el sonido nunca se guarda y se descarta en cuanto se transcribe. Al terminar, la transcripción se abre en una conversación nueva, lista para una nota SOAP, para que usted la lea y la corrija antes de enviar nada al modelo.</translation>
    </message>
    <message>
        <source>The patient agrees: record</source>
        <translation>El paciente está de acuerdo: grabar</translation>
    </message>
    <message>
        <source>Discard the recording</source>
        <translation>Descartar la grabación</translation>
    </message>
    <message>
        <source>Discard this recording? Its transcript so far is lost.</source>
        <translation>¿Descartar esta grabación? Se perderá su transcripción hasta ahora.</translation>
    </message>
    <message>
        <source>The consultation&apos;s recording stopped when ClinicChat locked; below is its transcript up to that moment.</source>
        <translation>La grabación de la consulta se detuvo al bloquearse ClinicChat; abajo está su transcripción hasta ese momento.</translation>
    </message>
    <message>
        <source>No speech was heard in this recording.</source>
        <translation>No se oyó ninguna voz en esta grabación.</translation>
    </message>
</context>
<context>
    <name>ConversationExporter</name>
    <message>
        <source>Export is not encrypted</source>
        <translation>La exportación no está cifrada</translation>
    </message>
    <message>
        <source>The exported file will NOT be encrypted. Anyone who can open it can read the conversation. Save it only where patient data is allowed, and delete it when it is no longer needed.</source>
        <translation>El archivo exportado NO estará cifrado. Cualquier persona que pueda abrirlo podrá leer la conversación. Guárdelo solo donde se permita almacenar datos de pacientes y elimínelo cuando ya no lo necesite.</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Exportar conversación</translation>
    </message>
    <message>
        <source>conversation</source>
        <translation>conversación</translation>
    </message>
    <message>
        <source>Markdown (*.md);;PDF (*.pdf)</source>
        <translation>Documento Markdown (*.md);;Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Usted</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Fuentes</translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation>La exportación ha fallado: %1</translation>
    </message>
    <message>
        <source>Conversation exported (not encrypted)</source>
        <translation>Conversación exportada (sin cifrar)</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>New conversation</source>
        <translation>Nueva conversación</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Iniciar una nueva conversación (Ctrl+N)</translation>
    </message>
    <message>
        <source>Search conversations (Ctrl+F)</source>
        <translation>Buscar conversaciones (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Buscar conversaciones</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Resultados de la búsqueda</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversaciones</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>Sin resultados</translation>
    </message>
    <message>
        <source>Pinned: %1</source>
        <translation>Fijada: %1</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>Dejar de fijar</translation>
    </message>
    <message>
        <source>Pin to top</source>
        <translation>Fijar en la parte superior</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Cambiar nombre…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Eliminar…</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>Cambiar el nombre de la conversación</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Nombre nuevo:</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>Eliminar conversación</translation>
    </message>
    <message>
        <source>Delete “%1” and all its messages? This cannot be undone.</source>
        <translation>¿Eliminar “%1” y todos sus mensajes? Esta acción no se puede deshacer.</translation>
    </message>
</context>
<context>
    <name>ConversationTitle</name>
    <message>
        <source>New conversation</source>
        <translation>Nueva conversación</translation>
    </message>
</context>
<context>
    <name>ConversationsFlow</name>
    <message>
        <source>Delete all conversations</source>
        <translation>Eliminar todas las conversaciones</translation>
    </message>
    <message>
        <source>Delete every conversation and all their messages? This cannot be undone.</source>
        <translation>¿Eliminar todas las conversaciones y todos sus mensajes? Esta acción no se puede deshacer.</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>ClinicChat: unexpected problem</source>
        <translation>ClinicChat: problema inesperado</translation>
    </message>
    <message>
        <source>ClinicChat ran into an unexpected problem.</source>
        <translation>ClinicChat ha encontrado un problema inesperado.</translation>
    </message>
    <message>
        <source>Your conversation history is safe: ClinicChat only ever stores it encrypted.</source>
        <translation>Su historial de conversaciones está a salvo: ClinicChat solo lo guarda cifrado.</translation>
    </message>
    <message>
        <source>A report for your IT support, without any chat text, was saved in %1.</source>
        <translation>Se ha guardado en %1 un informe para su soporte informático, sin ningún texto de las conversaciones.</translation>
    </message>
    <message>
        <source>No report could be saved.</source>
        <translation>No se pudo guardar ningún informe.</translation>
    </message>
    <message>
        <source>If ClinicChat behaves oddly after this, close it and start it again.</source>
        <translation>Si ClinicChat se comporta de forma extraña después de esto, ciérrelo y vuelva a abrirlo.</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Abrir la carpeta de registros</translation>
    </message>
    <message>
        <source>Close ClinicChat</source>
        <translation>Cerrar ClinicChat</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
</context>
<context>
    <name>Devices</name>
    <message>
        <source>Processor (CPU)</source>
        <translation>Procesador (CPU)</translation>
    </message>
</context>
<context>
    <name>DictateButton</name>
    <message>
        <source>Stop dictating</source>
        <translation>Terminar el dictado</translation>
    </message>
    <message>
        <source>Dictate</source>
        <translation>Dictar</translation>
    </message>
    <message>
        <source>Speak instead of typing: the words go into the question box</source>
        <translation>Hable en lugar de escribir: las palabras van al cuadro de pregunta</translation>
    </message>
</context>
<context>
    <name>DictationBar</name>
    <message>
        <source>Starting the microphone…</source>
        <extracomment>Loudness shown from this many decibels below full scale (quieter reads as nothing).</extracomment>
        <translation>Abriendo el micrófono…</translation>
    </message>
    <message>
        <source>Recording: speak now</source>
        <translation>Grabando: hable ahora</translation>
    </message>
    <message>
        <source>Writing the last words…</source>
        <translation>Escribiendo las últimas palabras…</translation>
    </message>
    <message>
        <source>Recording the consultation: %1</source>
        <translation>Grabando la consulta: %1</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>Nivel del micrófono</translation>
    </message>
    <message>
        <source>Minimising is fine; locking stops the recording.</source>
        <translation>Puede minimizar la ventana; bloquearla detiene la grabación.</translation>
    </message>
    <message>
        <source>Esc discards this dictation.</source>
        <translation>Esc descarta este dictado.</translation>
    </message>
    <message>
        <source>Finish and transcribe</source>
        <translation>Terminar y transcribir</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>DictationFlow</name>
    <message>
        <source>No speech was heard. Speak once the strip says “Recording”.</source>
        <translation>No se oyó ninguna voz. Hable cuando la franja diga «Grabando».</translation>
    </message>
</context>
<context>
    <name>DocumentSearch</name>
    <message>
        <source>Search by meaning: %1 of %2 passages ready…</source>
        <translation>Búsqueda por significado: %1 de %2 pasajes listos…</translation>
    </message>
    <message>
        <source>Search by meaning is ready for all %1 passages.</source>
        <translation>La búsqueda por significado está lista para los %1 pasajes.</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <source>{name}: this kind of file is not read (PDF, DOCX, TXT, Markdown and HTML are).</source>
        <translation>{name}: este tipo de archivo no se lee (sí se leen PDF, DOCX, TXT, Markdown y HTML).</translation>
    </message>
    <message>
        <source>{name}: the file is {size} MB; files over {limit} MB are not indexed.</source>
        <translation>{name}: el archivo ocupa {size} MB; los archivos de más de {limit} MB no se indexan.</translation>
    </message>
    <message>
        <source>{name}: the file holds no text.</source>
        <translation>{name}: el archivo no contiene texto.</translation>
    </message>
    <message>
        <source>{name} could not be read: {reason}</source>
        <translation>No se pudo leer {name}: {reason}</translation>
    </message>
    <message>
        <source>{name} could not be read: the file is damaged.</source>
        <translation>No se pudo leer {name}: el archivo está dañado.</translation>
    </message>
    <message>
        <source>{name} is protected with a password; save an unprotected copy to add it.</source>
        <translation>{name} está protegido con contraseña; guarde una copia sin protección para añadirlo.</translation>
    </message>
    <message>
        <source>{name} is not a readable PDF (it may be damaged).</source>
        <translation>{name} no es un PDF legible (puede estar dañado).</translation>
    </message>
    <message>
        <source>{name} has no text layer (a scan or images of pages): it cannot be searched. Run it through text recognition (OCR) first.</source>
        <translation>{name} no tiene capa de texto (es un escaneo o imágenes de páginas): no se puede buscar en él. Páselo antes por reconocimiento de texto (OCR).</translation>
    </message>
    <message>
        <source>{name} is not a readable Word file (DOCX).</source>
        <translation>{name} no es un archivo de Word (DOCX) legible.</translation>
    </message>
    <message>
        <source>{name} holds binary data, not text, despite its name.</source>
        <translation>{name} contiene datos binarios, no texto, aunque su nombre diga lo contrario.</translation>
    </message>
    <message>
        <source>A collection needs a name.</source>
        <translation>Una colección necesita un nombre.</translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message>
        <source>Documents</source>
        <translation>Documentos</translation>
    </message>
    <message>
        <source>The clinic&apos;s protocols and guidelines, kept inside the encrypted history. A conversation that asks a collection gets the best passages with each question, and its answer cites them as [1], [2]…</source>
        <translation>Los protocolos y guías del centro, guardados dentro del historial cifrado. Una conversación que consulta una colección recibe los mejores pasajes con cada pregunta, y su respuesta los cita como [1], [2]…</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <source>Collection</source>
        <translation>Colección</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Add to &amp;collection:</source>
        <translation>Añadir a la co&amp;lección:</translation>
    </message>
    <message>
        <source>Add &amp;files…</source>
        <translation>Añadir &amp;archivos…</translation>
    </message>
    <message>
        <source>Add a f&amp;older…</source>
        <translation>Añadir una &amp;carpeta…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Stop adding</source>
        <translation>Dejar de añadir</translation>
    </message>
    <message>
        <source>Go on</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <source>Keep the folders added here up to date (new, changed and deleted files)</source>
        <translation>Mantener al día las carpetas añadidas aquí (archivos nuevos, cambiados y borrados)</translation>
    </message>
    <message>
        <source>This conversation asks:</source>
        <translation>Esta conversación consulta:</translation>
    </message>
    <message>
        <source>Answer only from the documents</source>
        <translation>Responder solo a partir de los documentos</translation>
    </message>
    <message>
        <source>%1 pages, %2 passages</source>
        <translation>%1 páginas, %2 pasajes</translation>
    </message>
    <message>
        <source>%1 passages</source>
        <translation>%1 pasajes</translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation>Añadir documentos</translation>
    </message>
    <message>
        <source>Documents (%1)</source>
        <translation>Documentos (%1)</translation>
    </message>
    <message>
        <source>Add a folder of documents</source>
        <translation>Añadir una carpeta de documentos</translation>
    </message>
    <message>
        <source>Paused: %1 file(s) wait.</source>
        <translation>En pausa: %1 archivo(s) en espera.</translation>
    </message>
    <message>
        <source>Reading %1… (%2 more after it)</source>
        <translation>Leyendo %1… (quedan %2 después)</translation>
    </message>
    <message>
        <source>%1 file(s) added; %2 could not be used (see State).</source>
        <translation>%1 archivo(s) añadido(s); %2 no se pudieron usar (véase Estado).</translation>
    </message>
</context>
<context>
    <name>DocumentsFlow</name>
    <message>
        <source>Documents are kept inside the encrypted history: turn on saving conversations in Settings to use them.</source>
        <translation>Los documentos se guardan dentro del historial cifrado: active guardar las conversaciones en Configuración para usarlos.</translation>
    </message>
    <message>
        <source>The document search model cannot be used; documents are searched by their words. %1</source>
        <translation>No se puede usar el modelo de búsqueda en documentos; los documentos se buscan por sus palabras. %1</translation>
    </message>
</context>
<context>
    <name>Downloads</name>
    <message>
        <source>&apos;{name}&apos; is not a plain file name, so ClinicChat will not save a download under it.</source>
        <extracomment>States in which nothing happens until someone calls resume() (or nothing ever will). A plain file name in the models folder. Expected size in bytes (the catalog&apos;s &apos;filesize&apos;), if known. Lower-case hex digests; sha256 is preferred when both are given.</extracomment>
        <translation>“{name}” no es un nombre de archivo simple, por lo que ClinicChat no guardará una descarga con ese nombre.</translation>
    </message>
    <message>
        <source>The {algorithm} checksum given for &apos;{name}&apos; is not valid.</source>
        <translation>La suma de verificación {algorithm} indicada para “{name}” no es válida.</translation>
    </message>
    <message>
        <source>The catalog gives no download address for &apos;{name}&apos;.</source>
        <translation>El catálogo no indica ninguna dirección de descarga para “{name}”.</translation>
    </message>
    <message>
        <source>ClinicChat only downloads models over a secure connection (an address starting with https://), so it did not connect to &apos;{url}&apos;. Ask IT for the https address of the model.</source>
        <extracomment>Network errors that another attempt cannot fix: retrying would only delay the message.</extracomment>
        <translation>ClinicChat solo descarga modelos mediante una conexión segura (una dirección que empiece por https://), por lo que no se ha conectado a “{url}”. Pida al departamento de informática la dirección https del modelo.</translation>
    </message>
    <message>
        <source>A model file named &apos;{name}&apos; is already installed. Remove it first if you want to download it again.</source>
        <translation>Ya hay instalado un archivo de modelo llamado “{name}”. Elimínelo primero si desea volver a descargarlo.</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is already being downloaded.</source>
        <translation>“{name}” ya se está descargando.</translation>
    </message>
    <message>
        <source>There is not enough free disk space to download &apos;{name}&apos;: it needs {needed} GB (including {margin} GB kept free for the system), and {free} GB is free.</source>
        <translation>No hay suficiente espacio libre en el disco para descargar “{name}”: se necesitan {needed} GB (incluidos {margin} GB que se reservan libres para el sistema) y hay {free} GB libres.</translation>
    </message>
    <message>
        <source>The server sent the download of &apos;{name}&apos; on to an address that is not secure (&apos;{url}&apos;), so ClinicChat stopped it. Ask IT to check the model&apos;s download address.</source>
        <translation>El servidor ha redirigido la descarga de “{name}” a una dirección que no es segura (“{url}”), por lo que ClinicChat la ha detenido. Pida al departamento de informática que revise la dirección de descarga del modelo.</translation>
    </message>
    <message>
        <source>The server answered the download of &apos;{name}&apos; with a part of the file that was not asked for, so ClinicChat stopped.</source>
        <translation>El servidor ha respondido a la descarga de “{name}” con una parte del archivo que no se había solicitado, por lo que ClinicChat la ha detenido.</translation>
    </message>
    <message>
        <source>The connection closed before the whole file arrived.</source>
        <translation>La conexión se cerró antes de recibir el archivo completo.</translation>
    </message>
    <message>
        <source>The secure connection for &apos;{name}&apos; could not be verified ({detail}). ClinicChat does not download from a server whose certificate it cannot check. If your network inspects secure traffic, IT must install its certificate on this computer.</source>
        <translation>No se ha podido verificar la conexión segura para “{name}” ({detail}). ClinicChat no descarga de un servidor cuyo certificado no puede comprobar. Si su red inspecciona el tráfico seguro, el departamento de informática debe instalar su certificado en este equipo.</translation>
    </message>
    <message>
        <source>The connection failed ({detail}).</source>
        <translation>Se ha producido un error de conexión ({detail}).</translation>
    </message>
    <message>
        <source>The server reported an error (HTTP {status}).</source>
        <translation>El servidor ha devuelto un error (HTTP {status}).</translation>
    </message>
    <message>
        <source>The server does not have the file &apos;{name}&apos; (HTTP {status}). The download address in the catalog may be out of date: {url}</source>
        <translation>El servidor no tiene el archivo “{name}” (HTTP {status}). Es posible que la dirección de descarga del catálogo esté desactualizada: {url}</translation>
    </message>
    <message>
        <source>The server refused access to &apos;{name}&apos; (HTTP {status}). If your network needs a sign-in for downloads, ask IT.</source>
        <translation>El servidor ha denegado el acceso a “{name}” (HTTP {status}). Si su red exige iniciar sesión para realizar descargas, consulte al departamento de informática.</translation>
    </message>
    <message>
        <source>The server refused the download of &apos;{name}&apos; (HTTP {status}).</source>
        <translation>El servidor ha rechazado la descarga de “{name}” (HTTP {status}).</translation>
    </message>
    <message>
        <source>No data arrived for {seconds} seconds.</source>
        <translation>No se han recibido datos durante {seconds} segundos.</translation>
    </message>
    <message>
        <source>Downloading &apos;{name}&apos; failed after {attempts} attempt(s). {cause} The {done} MB downloaded so far are kept, so the download can be resumed later.</source>
        <translation>La descarga de “{name}” ha fallado tras {attempts} intento(s). {cause} Se conservan los {done} MB descargados hasta ahora, por lo que la descarga se puede reanudar más tarde.</translation>
    </message>
    <message>
        <source>Downloading &apos;{name}&apos; failed after {attempts} attempt(s). {cause} Check the network connection and try again.</source>
        <translation>La descarga de “{name}” ha fallado tras {attempts} intento(s). {cause} Compruebe la conexión de red y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>The downloaded file &apos;{name}&apos; is damaged or is not the published model: its {algorithm} checksum is {got}, but the catalog expects {expected}. The file was deleted; try the download again, and tell IT if this happens again.</source>
        <translation>El archivo descargado “{name}” está dañado o no es el modelo publicado: su suma de verificación {algorithm} es {got}, pero el catálogo espera {expected}. Se ha eliminado el archivo; vuelva a intentar la descarga e informe al departamento de informática si vuelve a ocurrir.</translation>
    </message>
    <message>
        <source>The server offers a file of {got} bytes for &apos;{name}&apos;, but the catalog expects {expected} bytes, so ClinicChat did not download it. The catalog or the download address may be out of date.</source>
        <translation>El servidor ofrece un archivo de {got} bytes para “{name}”, pero el catálogo espera {expected} bytes, por lo que ClinicChat no lo ha descargado. Es posible que el catálogo o la dirección de descarga estén desactualizados.</translation>
    </message>
    <message>
        <source>The downloaded file &apos;{name}&apos; has the wrong size: {got} bytes, but {expected} bytes were expected. The file was deleted; try the download again.</source>
        <translation>El archivo descargado “{name}” no tiene el tamaño correcto: {got} bytes, cuando se esperaban {expected} bytes. Se ha eliminado el archivo; vuelva a intentar la descarga.</translation>
    </message>
    <message>
        <source>A model file named &apos;{name}&apos; was installed while this download ran; the download was discarded.</source>
        <translation>Se ha instalado un archivo de modelo llamado “{name}” mientras se realizaba esta descarga; la descarga se ha descartado.</translation>
    </message>
    <message>
        <source>ClinicChat could not write the model file &apos;{file}&apos; ({reason}). The {done} MB downloaded so far are kept: free some disk space (or ask IT about the folder&apos;s permissions) and resume the download.</source>
        <translation>ClinicChat no ha podido escribir el archivo de modelo “{file}” ({reason}). Se conservan los {done} MB descargados hasta ahora: libere espacio en el disco (o consulte al departamento de informática sobre los permisos de la carpeta) y reanude la descarga.</translation>
    </message>
    <message>
        <source>ClinicChat could not write the model file &apos;{file}&apos; ({reason}). Free some disk space (or ask IT about the folder&apos;s permissions) and try again.</source>
        <translation>ClinicChat no ha podido escribir el archivo de modelo “{file}” ({reason}). Libere espacio en el disco (o consulte al departamento de informática sobre los permisos de la carpeta) y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>The downloaded file could not be installed ({reason}).</source>
        <translation>No se ha podido instalar el archivo descargado ({reason}).</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; was damaged on disk; start the download again.</source>
        <extracomment>(bytes received in all, bytes of the whole model) The installed model&apos;s folder. The DownloadError that stopped it. Bytes of the model received so far, in all its files.</extracomment>
        <translation>«{name}» se dañó en el disco; vuelva a iniciar la descarga.</translation>
    </message>
</context>
<context>
    <name>EmptyPage</name>
    <message>
        <source>No model installed yet</source>
        <translation>Todavía no hay ningún modelo instalado</translation>
    </message>
    <message>
        <source>ClinicChat answers with a language model that runs on this computer, so no question ever leaves it.

To start, download a model (once; it then works offline), or import a model file (.gguf) that your IT department provided.</source>
        <translation>ClinicChat responde con un modelo de lenguaje que se ejecuta en este equipo, por lo que ninguna pregunta sale nunca de él.

Para empezar, descargue un modelo (solo una vez; después funciona sin conexión) o importe un archivo de modelo (.gguf) proporcionado por su departamento de informática.</translation>
    </message>
    <message>
        <source>All models…</source>
        <translation>Todos los modelos…</translation>
    </message>
    <message>
        <source>Import model file…</source>
        <translation>Importar archivo de modelo…</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>The graphics card could not be used; ClinicChat is using the processor.</source>
        <translation>No se ha podido usar la tarjeta gráfica; ClinicChat está usando el procesador.</translation>
    </message>
    <message>
        <source>This model file has no chat format of its own; a generic one is used and answers may be poorer.</source>
        <translation>Este archivo de modelo no tiene formato de chat propio; se usa uno genérico y las respuestas pueden ser peores.</translation>
    </message>
    <message>
        <source>This model has no known prompt format; a generic one is used and answers may be poorer.</source>
        <translation>Este modelo no tiene un formato de prompt conocido; se usa uno genérico y las respuestas pueden ser de menor calidad.</translation>
    </message>
    <message>
        <source>chosen in this model&apos;s settings</source>
        <translation>elegido en los ajustes de este modelo</translation>
    </message>
    <message>
        <source>the catalog names this engine</source>
        <translation>el catálogo indica este motor</translation>
    </message>
    <message>
        <source>GPT4All knows this model&apos;s prompt format</source>
        <translation>GPT4All conoce el formato de instrucciones de este modelo</translation>
    </message>
    <message>
        <source>uses the model&apos;s own chat format</source>
        <translation>usa el formato de chat propio del modelo</translation>
    </message>
    <message>
        <source>the only engine that can run it</source>
        <translation>el único motor que puede ejecutarlo</translation>
    </message>
</context>
<context>
    <name>EngineText</name>
    <message>
        <source>Engine: %1 (%2).</source>
        <translation>Motor: %1 (%2).</translation>
    </message>
    <message>
        <source>%1 cannot run it: %2</source>
        <translation>%1 no puede ejecutarlo: %2</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>The history file {path} is not encrypted. ClinicChat will not use it; move it away and restart.</source>
        <translation>El archivo del historial {path} no está cifrado. ClinicChat no lo usará; muévalo a otra ubicación y reinicie la aplicación.</translation>
    </message>
    <message>
        <source>This installation has no working encryption (SQLCipher), so the history cannot be opened safely.</source>
        <translation>Esta instalación no dispone de cifrado operativo (SQLCipher), por lo que el historial no se puede abrir de forma segura.</translation>
    </message>
    <message>
        <source>The history could not be opened: the key is wrong or the file is damaged. The file has not been changed.</source>
        <translation>No se ha podido abrir el historial: la clave es incorrecta o el archivo está dañado. El archivo no se ha modificado.</translation>
    </message>
    <message>
        <source>The history was saved by a newer version of ClinicChat (format {found}, this version reads up to {known}). It has not been changed; update ClinicChat to open it.</source>
        <translation>El historial se guardó con una versión más reciente de ClinicChat (formato {found}; esta versión lee hasta el {known}). No se ha modificado; actualice ClinicChat para abrirlo.</translation>
    </message>
    <message>
        <source>The history database could not be prepared.</source>
        <translation>No se ha podido preparar la base de datos del historial.</translation>
    </message>
    <message>
        <source>This computer has no usable keychain to keep the history key in. Choose a passphrase of at least {minimum} characters to protect the history.</source>
        <translation>Este equipo no dispone de un llavero del sistema utilizable para guardar la clave del historial. Elija una frase de contraseña de al menos {minimum} caracteres para proteger el historial.</translation>
    </message>
    <message>
        <source>Rows of keys on the keyboard are easy to guess.</source>
        <extracomment>zxcvbn&apos;s 0-4 scale; 3 means &quot;safely unguessable: moderate protection from offline attack&quot;. zxcvbn refuses longer input (its matching is superlinear); the first 72 characters decide. Words that make a passphrase easy to guess here, whatever the dictionaries say.</extracomment>
        <translation>Las filas de teclas del teclado son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>Short keyboard patterns are easy to guess.</source>
        <translation>Los patrones cortos del teclado son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>Repeated characters are easy to guess.</source>
        <translation>Los caracteres repetidos son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>A repeated word is hardly harder to guess than the word once.</source>
        <translation>Una palabra repetida apenas es más difícil de adivinar que la palabra una sola vez.</translation>
    </message>
    <message>
        <source>Sequences such as abc or 6543 are easy to guess.</source>
        <translation>Las secuencias como abc o 6543 son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>Recent years are easy to guess.</source>
        <translation>Los años recientes son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>Dates are easy to guess.</source>
        <translation>Las fechas son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>It is one of the most common passwords.</source>
        <translation>Es una de las contraseñas más comunes.</translation>
    </message>
    <message>
        <source>It is a very common password.</source>
        <translation>Es una contraseña muy común.</translation>
    </message>
    <message>
        <source>It is too close to a common password.</source>
        <translation>Se parece demasiado a una contraseña común.</translation>
    </message>
    <message>
        <source>A single word is easy to guess.</source>
        <translation>Una sola palabra es fácil de adivinar.</translation>
    </message>
    <message>
        <source>Names and surnames on their own are easy to guess.</source>
        <translation>Los nombres y apellidos solos son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>Common names and surnames are easy to guess.</source>
        <translation>Los nombres y apellidos comunes son fáciles de adivinar.</translation>
    </message>
    <message>
        <source>It is too easy to guess.</source>
        <translation>Es demasiado fácil de adivinar.</translation>
    </message>
    <message>
        <source>The passphrase must have at least {minimum} characters.</source>
        <translation>La frase de contraseña debe tener al menos {minimum} caracteres.</translation>
    </message>
    <message>
        <source>This passphrase is too easy to guess. {reason} Use a sentence of several uncommon words that only you would think of.</source>
        <translation>Esta frase de contraseña es demasiado fácil de adivinar. {reason} Use una frase de varias palabras poco comunes que solo se le ocurrirían a usted.</translation>
    </message>
    <message>
        <source>The passphrase is not correct. Nothing has been changed; try again.</source>
        <translation>La frase de contraseña no es correcta. No se ha cambiado nada; vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>This is not a recovery key. A recovery key has {groups} groups of 4 characters (digits 0-9 and letters A-F) separated by dashes.</source>
        <translation>Esto no es una clave de recuperación. Una clave de recuperación tiene {groups} grupos de 4 caracteres (dígitos 0-9 y letras A-F) separados por guiones.</translation>
    </message>
    <message>
        <source>The recovery key contains a typing mistake (its check group does not match). Compare it character by character with the saved copy and try again.</source>
        <translation>La clave de recuperación contiene un error de escritura (su grupo de control no coincide). Compárela carácter por carácter con la copia guardada y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>The history key is kept in {store}, which is not a real keychain: anyone who can read your files could open your conversations. Set a passphrase to protect it.</source>
        <translation>La clave del historial está guardada en {store}, que no es un llavero real: cualquiera que pueda leer sus archivos podría abrir sus conversaciones. Establezca una frase de contraseña para protegerla.</translation>
    </message>
    <message>
        <source>A history already exists in {folder}; it was not replaced.</source>
        <translation>Ya existe un historial en {folder}; no se ha reemplazado.</translation>
    </message>
    <message>
        <source>This history is already protected by a passphrase.</source>
        <translation>Este historial ya está protegido con una frase de contraseña.</translation>
    </message>
    <message>
        <source>This history is not protected by a passphrase.</source>
        <translation>Este historial no está protegido con una frase de contraseña.</translation>
    </message>
    <message>
        <source>The recovery key can only be shown while the history is open.</source>
        <translation>La clave de recuperación solo se puede mostrar mientras el historial está abierto.</translation>
    </message>
    <message>
        <source>There is no history file in {folder} to open with this recovery key.</source>
        <translation>No hay ningún archivo de historial en {folder} que se pueda abrir con esta clave de recuperación.</translation>
    </message>
    <message>
        <source>There is no history file in {folder}.</source>
        <translation>No hay ningún archivo de historial en {folder}.</translation>
    </message>
    <message>
        <source>ClinicChat could not rename the history file ({reason}).</source>
        <translation>ClinicChat no ha podido cambiar el nombre del archivo del historial ({reason}).</translation>
    </message>
    <message>
        <source>ClinicChat could not read {path} ({reason}).</source>
        <translation>ClinicChat no ha podido leer {path} ({reason}).</translation>
    </message>
    <message>
        <source>The history was set up by a newer version of ClinicChat (key format {version}). Install that version or a later one to open it.</source>
        <translation>El historial se configuró con una versión más reciente de ClinicChat (formato de clave {version}). Instale esa versión o una posterior para abrirlo.</translation>
    </message>
    <message>
        <source>There is no history to open yet.</source>
        <translation>Todavía no hay ningún historial que abrir.</translation>
    </message>
    <message>
        <source>The history file is there, but the information needed to find its key ({name}) is missing or damaged. Enter your recovery key to open it, or set the history aside and start a new one.</source>
        <translation>El archivo del historial existe, pero falta o está dañada la información necesaria para encontrar su clave ({name}). Introduzca su clave de recuperación para abrirlo, o guarde aparte el historial y empiece uno nuevo.</translation>
    </message>
    <message>
        <source>The stored history key in {name} is damaged. Enter your recovery key to open the history, or set it aside and start a new one.</source>
        <translation>La clave del historial guardada en {name} está dañada. Introduzca su clave de recuperación para abrir el historial, o guárdelo aparte y empiece uno nuevo.</translation>
    </message>
    <message>
        <source>Enter the passphrase to open the history.</source>
        <translation>Introduzca la frase de contraseña para abrir el historial.</translation>
    </message>
    <message>
        <source>The keychain that holds the history key could not be used ({reason}). Unlock the keychain and try again, or enter your recovery key.</source>
        <translation>No se ha podido usar el llavero del sistema que guarda la clave del historial ({reason}). Desbloquee el llavero y vuelva a intentarlo, o introduzca su clave de recuperación.</translation>
    </message>
    <message>
        <source>The key to the history is not in this computer&apos;s keychain. Enter your recovery key to open it, or set the history aside and start a new one.</source>
        <translation>La clave del historial no está en el llavero del sistema de este equipo. Introduzca su clave de recuperación para abrirlo, o guarde aparte el historial y empiece uno nuevo.</translation>
    </message>
    <message>
        <source>The history key could not be saved in the keychain ({reason}).</source>
        <translation>No se ha podido guardar la clave del historial en el llavero del sistema ({reason}).</translation>
    </message>
    <message>
        <source>ClinicChat could not save {path} ({reason}).</source>
        <translation>ClinicChat no ha podido guardar {path} ({reason}).</translation>
    </message>
    <message>
        <source>The prompt template has no %1 placeholder for the user&apos;s message.</source>
        <translation>La plantilla de prompt no tiene el marcador %1 para el mensaje del usuario.</translation>
    </message>
    <message>
        <source>This model file could not be loaded: {reason}</source>
        <extracomment>As a person reads them.</extracomment>
        <translation>No se ha podido cargar este archivo de modelo: {reason}</translation>
    </message>
    <message>
        <source>This model file could not be read: {reason}</source>
        <translation>No se ha podido leer este archivo de modelo: {reason}</translation>
    </message>
    <message>
        <source>This model file could not be loaded: the backend rejected it. The file may be damaged, or made for a newer program.</source>
        <translation>No se ha podido cargar este archivo de modelo: el motor lo ha rechazado. Es posible que el archivo esté dañado o que se haya creado para un programa más reciente.</translation>
    </message>
    <message>
        <source>This message is too long for the model&apos;s memory ({n_ctx} tokens). Shorten it or split it into parts.</source>
        <translation>Este mensaje es demasiado largo para la memoria del modelo ({n_ctx} tokens). Acórtelo o divídalo en partes.</translation>
    </message>
    <message>
        <source>The model reported an error: {detail}</source>
        <translation>El modelo ha notificado un error: {detail}</translation>
    </message>
    <message>
        <source>The model file changed while it was being copied; try again.</source>
        <translation>El archivo de modelo ha cambiado mientras se copiaba; vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>This model file is incomplete (it ends after {size} bytes); download or copy it again.</source>
        <translation>Este archivo de modelo está incompleto (termina tras {size} bytes); vuelva a descargarlo o a copiarlo.</translation>
    </message>
    <message>
        <source>This model file is damaged ({detail}); download or copy it again.</source>
        <translation>Este archivo de modelo está dañado ({detail}); vuelva a descargarlo o a copiarlo.</translation>
    </message>
    <message>
        <source>ClinicChat could not read this file ({reason}).</source>
        <translation>ClinicChat no ha podido leer este archivo ({reason}).</translation>
    </message>
    <message>
        <source>This file is not a GGUF model file.</source>
        <translation>Este archivo no es un archivo de modelo GGUF.</translation>
    </message>
    <message>
        <source>This model file is made for big-endian computers and cannot run on this one.</source>
        <translation>Este archivo de modelo está hecho para equipos big-endian y no se puede ejecutar en este.</translation>
    </message>
    <message>
        <source>This model file uses GGUF version {version}, an old format this version of ClinicChat cannot read; download a newer copy of the model.</source>
        <translation>Este archivo de modelo usa la versión {version} de GGUF, un formato antiguo que esta versión de ClinicChat no puede leer; descargue una copia más reciente del modelo.</translation>
    </message>
    <message>
        <source>This model file uses GGUF version {version}, which is newer than this version of ClinicChat can read.</source>
        <translation>Este archivo de modelo usa la versión {version} de GGUF, que es más reciente de lo que esta versión de ClinicChat puede leer.</translation>
    </message>
    <message>
        <source>This model file does not say which architecture it uses, so ClinicChat cannot run it.</source>
        <translation>Este archivo de modelo no indica qué arquitectura usa, por lo que ClinicChat no puede ejecutarlo.</translation>
    </message>
    <message>
        <source>This is an embedding model (&apos;{arch}&apos;), used for document search; it cannot hold a conversation.</source>
        <translation>Este es un modelo de embeddings (“{arch}”), que se usa para buscar en documentos; no puede mantener una conversación.</translation>
    </message>
    <message>
        <source>This model uses the &apos;{arch}&apos; architecture, which this version of ClinicChat cannot run.</source>
        <translation>Este modelo usa la arquitectura “{arch}”, que esta versión de ClinicChat no puede ejecutar.</translation>
    </message>
    <message>
        <source>This model file has no tokenizer, so ClinicChat cannot run it.</source>
        <translation>Este archivo de modelo no tiene tokenizador, por lo que ClinicChat no puede ejecutarlo.</translation>
    </message>
    <message>
        <source>This model uses a tokenizer (&apos;{tokenizer}&apos;) that this version of ClinicChat cannot run.</source>
        <translation>Este modelo usa un tokenizador (“{tokenizer}”) que esta versión de ClinicChat no puede ejecutar.</translation>
    </message>
    <message>
        <source>This model needs a newer tokenizer (&apos;{tokenizer}&apos;) than this version of ClinicChat supports.</source>
        <translation>Este modelo necesita un tokenizador más reciente (“{tokenizer}”) que los que admite esta versión de ClinicChat.</translation>
    </message>
    <message>
        <source>This model stores its weights in a format (ggml type {type}) that this version of ClinicChat cannot run.</source>
        <translation>Este modelo almacena sus pesos en un formato (tipo ggml {type}) que esta versión de ClinicChat no puede ejecutar.</translation>
    </message>
    <message>
        <source>The file name &apos;{name}&apos; cannot be used for a model (it is reserved on Windows, or has characters that are not allowed in file names). Rename the file and import it again.</source>
        <extracomment>Loads a file in a child process (path, the name to show, the engine that will run it); raises GGUFError if it fails.</extracomment>
        <translation>El nombre de archivo «{name}» no se puede usar para un modelo (está reservado en Windows o tiene caracteres no permitidos en nombres de archivo). Cambie el nombre del archivo e impórtelo de nuevo.</translation>
    </message>
    <message>
        <source>A model file named &apos;{name}&apos; is already installed. Remove it first, or rename the file you are importing.</source>
        <translation>Ya hay instalado un archivo de modelo llamado “{name}”. Elimínelo primero o cambie el nombre del archivo que está importando.</translation>
    </message>
    <message>
        <source>There is not enough free disk space for this model: it needs {needed} GB, and {free} GB is free.</source>
        <translation>No hay suficiente espacio libre en el disco para este modelo: se necesitan {needed} GB y hay {free} GB libres.</translation>
    </message>
    <message>
        <source>A model file named &apos;{name}&apos; was installed while this one was being copied.</source>
        <translation>Se ha instalado un archivo de modelo llamado “{name}” mientras se copiaba este.</translation>
    </message>
    <message>
        <source>ClinicChat could not copy the model file ({reason}).</source>
        <translation>ClinicChat no ha podido copiar el archivo de modelo ({reason}).</translation>
    </message>
    <message>
        <source>ClinicChat stopped while loading {name} last time, so it was not loaded again. Choose it in the model list to try again, or remove it in File → Models.</source>
        <translation>La última vez ClinicChat se detuvo mientras cargaba {name}, así que no se ha vuelto a cargar. Elíjalo en la lista de modelos para intentarlo de nuevo, o elimínelo en Archivo → Modelos.</translation>
    </message>
    <message>
        <source>The model file {name} could not be loaded: the engine stopped while reading it (it may be damaged or made for a newer version). It was not installed.</source>
        <extracomment>The hidden first argument that turns the app into a probe child (see clinichat.app). The child&apos;s exit status when the engine refused the file cleanly (ModelLoadError). Not 1 (any Python error), not 3 (abort() on Windows), not 2 (argparse).</extracomment>
        <translation>No se pudo cargar el archivo de modelo {name}: el motor se detuvo al leerlo (puede estar dañado o ser para una versión más reciente). No se ha instalado.</translation>
    </message>
    <message>
        <source>The model file {name} could not be loaded: the engine rejected it (it may be damaged or made for a newer version). It was not installed.</source>
        <translation>No se pudo cargar el archivo de modelo {name}: el motor lo rechazó (puede estar dañado o ser para una versión más reciente). No se ha instalado.</translation>
    </message>
    <message>
        <source>The model file {name} could not be loaded: the engine did not finish reading it within {seconds} seconds. It was not installed.</source>
        <translation>No se pudo cargar el archivo de modelo {name}: el motor no terminó de leerlo en {seconds} segundos. No se ha instalado.</translation>
    </message>
    <message>
        <source>The model file {name} could not be checked: ClinicChat could not start its test load ({reason}). It was not installed.</source>
        <translation>No se pudo comprobar el archivo de modelo {name}: ClinicChat no pudo iniciar su carga de prueba ({reason}). No se ha instalado.</translation>
    </message>
    <message>
        <source>The {engine} engine could not start on this computer ({reason}). Reinstall ClinicChat, or choose the other engine in this model&apos;s settings.</source>
        <translation>El motor {engine} no pudo iniciarse en este equipo ({reason}). Reinstale ClinicChat o elija el otro motor en los ajustes de este modelo.</translation>
    </message>
    <message>
        <source>ClinicChat has no engine named &apos;{engine}&apos;.</source>
        <translation>ClinicChat no tiene ningún motor llamado «{engine}».</translation>
    </message>
    <message>
        <source>The model is not loaded.</source>
        <translation>El modelo no está cargado.</translation>
    </message>
    <message>
        <source>This file is not an embedding model (it declares no pooling): it cannot be used for document search.</source>
        <translation>Este archivo no es un modelo de embeddings (no declara agrupación): no puede usarse para buscar en los documentos.</translation>
    </message>
    <message>
        <source>The model was unloaded.</source>
        <translation>El modelo se ha descargado de la memoria.</translation>
    </message>
    <message>
        <source>The embedding model failed: {reason}</source>
        <translation>El modelo de embeddings ha fallado: {reason}</translation>
    </message>
    <message>
        <source>ClinicChat only sends questions to a server over a secure connection (an address starting with https://), or to this computer. It did not connect to &apos;{url}&apos;.</source>
        <translation>ClinicChat solo envía preguntas a un servidor por una conexión segura (una dirección que empiece por https://) o a este mismo ordenador. No se ha conectado a «{url}».</translation>
    </message>
    <message>
        <source>The clinic&apos;s server at {url} cannot be reached ({detail}). Check the network, or ask IT whether the server is running. A local model can be chosen meanwhile.</source>
        <translation>No se puede contactar con el servidor del centro en {url} ({detail}). Compruebe la red o pregunte a Informática si el servidor está en marcha. Mientras tanto puede elegir un modelo local.</translation>
    </message>
    <message>
        <source>The secure connection to {url} could not be verified ({detail}), so nothing was sent. If the clinic uses its own certificate authority, IT must give ClinicChat that authority&apos;s certificate file.</source>
        <translation>No se ha podido verificar la conexión segura con {url} ({detail}), así que no se ha enviado nada. Si el centro usa su propia autoridad de certificación, Informática debe dar a ClinicChat el archivo de certificado de esa autoridad.</translation>
    </message>
    <message>
        <source>The clinic&apos;s server refused the access key (HTTP {status}). Ask IT for a valid key.</source>
        <translation>El servidor del centro ha rechazado la clave de acceso (HTTP {status}). Pida a Informática una clave válida.</translation>
    </message>
    <message>
        <source>The clinic&apos;s server does not offer the model &apos;{model}&apos; (HTTP 404). Choose one of the models it lists.</source>
        <translation>El servidor del centro no ofrece el modelo «{model}» (HTTP 404). Elija uno de los modelos que muestra.</translation>
    </message>
    <message>
        <source>The clinic&apos;s server stayed busy (HTTP {status}) after {attempts} attempts. Try again in a moment, or use a local model.</source>
        <translation>El servidor del centro sigue ocupado (HTTP {status}) tras {attempts} intentos. Vuelva a intentarlo en un momento o use un modelo local.</translation>
    </message>
    <message>
        <source>The clinic&apos;s server did not answer within {seconds} seconds.</source>
        <translation>El servidor del centro no ha respondido en {seconds} segundos.</translation>
    </message>
    <message>
        <source>The connection to the clinic&apos;s server was cut before the answer was complete; what arrived is kept.</source>
        <translation>La conexión con el servidor del centro se ha cortado antes de completar la respuesta; se conserva lo que ha llegado.</translation>
    </message>
    <message>
        <source>The clinic&apos;s server could not answer (HTTP {status}): {detail}</source>
        <translation>El servidor del centro no ha podido responder (HTTP {status}): {detail}</translation>
    </message>
    <message>
        <source>This message is too long for the model on the clinic&apos;s server. Shorten it or split it into parts.</source>
        <translation>Este mensaje es demasiado largo para el modelo del servidor de la clínica. Acórtelo o divídalo en partes.</translation>
    </message>
</context>
<context>
    <name>GuideDialog</name>
    <message>
        <source>What ClinicChat is</source>
        <translation>Qué es ClinicChat</translation>
    </message>
    <message>
        <source>A chat assistant for clinicians. The language model runs on this computer, so no question and no answer ever leaves it; once a model is installed, ClinicChat works with no network at all.</source>
        <translation>Un asistente de conversación para profesionales sanitarios. El modelo de lenguaje se ejecuta en este ordenador, por lo que ninguna pregunta ni respuesta sale de él; una vez instalado un modelo, ClinicChat funciona sin ninguna conexión de red.</translation>
    </message>
    <message>
        <source>First steps</source>
        <translation>Primeros pasos</translation>
    </message>
    <message>
        <source>1. Install a model: File → Models… downloads one (once), or File → Import model file… adds one your IT department provided.
2. Start a new conversation and choose a preset (a SOAP note, a letter, an explanation for a patient), or simply type your question.
3. Enter sends, Shift+Enter starts a new line, Esc stops an answer.
4. Copy answer puts the answer on the clipboard as plain text, ready for the health record.
Help → Keyboard shortcuts lists every shortcut.</source>
        <translation>1. Instale un modelo: Archivo → Modelos… descarga uno (una sola vez), o Archivo → Importar archivo de modelo… añade uno que le haya proporcionado su departamento de informática.
2. Inicie una conversación nueva y elija una plantilla (una nota SOAP, una carta, una explicación para un paciente), o simplemente escriba su pregunta.
3. Enter envía, Mayús+Enter empieza una línea nueva y Esc detiene una respuesta.
4. Copiar respuesta copia la respuesta en el portapapeles como texto sin formato, lista para la historia clínica.
Ayuda → Atajos de teclado muestra todos los atajos.</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Privacidad</translation>
    </message>
    <message>
        <source>Nothing leaves this computer: questions, answers and the files you add stay here. Conversations are kept in an encrypted history (Settings → Save conversations turns this off). The log files hold no patient data.</source>
        <translation>Nada sale de este ordenador: las preguntas, las respuestas y los archivos que añada se quedan aquí. Las conversaciones se guardan en un historial cifrado (Configuración → Guardar las conversaciones lo desactiva). Los archivos de registro no contienen datos de pacientes.</translation>
    </message>
    <message>
        <source>The recovery key</source>
        <translation>La clave de recuperación</translation>
    </message>
    <message>
        <source>The recovery key opens the history on another computer, or when the passphrase is lost. History → Export recovery key shows it. Keep it where your IT department keeps such keys, never next to this computer.</source>
        <translation>La clave de recuperación abre el historial en otro ordenador o cuando se ha perdido la frase de contraseña. Historial → Exportar la clave de recuperación la muestra. Guárdela donde su departamento de informática guarda este tipo de claves, nunca junto a este ordenador.</translation>
    </message>
    <message>
        <source>The lock</source>
        <translation>El bloqueo</translation>
    </message>
    <message>
        <source>After some minutes without use (Settings → Lock after idle minutes), or with History → Lock, ClinicChat hides every conversation until it is unlocked. Lock it whenever you leave the computer.</source>
        <translation>Tras unos minutos sin uso (Configuración → Bloqueo por inactividad), o con Historial → Bloquear, ClinicChat oculta todas las conversaciones hasta que se desbloquee. Bloquéelo siempre que se aleje del ordenador.</translation>
    </message>
    <message>
        <source>Check every answer</source>
        <translation>Revise cada respuesta</translation>
    </message>
    <message>
        <source>Answers come from a language model and can be wrong, incomplete or out of date. They are drafts: check every clinical fact, dose and reference before you rely on it. The responsibility stays with you.</source>
        <translation>Las respuestas proceden de un modelo de lenguaje y pueden ser erróneas, incompletas o estar desactualizadas. Son borradores: compruebe cada dato clínico, dosis y referencia antes de fiarse de ellos. La responsabilidad sigue siendo suya.</translation>
    </message>
    <message>
        <source>ClinicChat guide</source>
        <translation>Guía de ClinicChat</translation>
    </message>
</context>
<context>
    <name>HelpCommands</name>
    <message>
        <source>Open log folder</source>
        <translation>Abrir la carpeta de registros</translation>
    </message>
    <message>
        <source>The log folder could not be opened. It is here:
%1</source>
        <translation>No se ha podido abrir la carpeta de registros. Se encuentra aquí:
%1</translation>
    </message>
</context>
<context>
    <name>HistoryAccess</name>
    <message>
        <source>The key of your conversation history is no longer in this computer&apos;s keychain. Import the recovery key from your IT department, or start a new history; the old file is kept, never deleted.</source>
        <translation>La clave de su historial de conversaciones ya no está en el llavero del sistema de este equipo. Importe la clave de recuperación que guarda su departamento de informática o empiece un historial nuevo; el archivo anterior se conserva y nunca se elimina.</translation>
    </message>
    <message>
        <source>That passphrase is not correct. Try again.</source>
        <translation>Esa frase de contraseña no es correcta. Vuelva a intentarlo.</translation>
    </message>
</context>
<context>
    <name>HistoryGuard</name>
    <message>
        <source>Opening your conversation history…</source>
        <translation>Abriendo su historial de conversaciones…</translation>
    </message>
    <message>
        <source>Conversations are not being saved: they are forgotten when ClinicChat closes. Saved conversations stay encrypted and are not shown.</source>
        <translation>Las conversaciones no se están guardando: se olvidarán al cerrar ClinicChat. Las conversaciones guardadas siguen cifradas y no se muestran.</translation>
    </message>
    <message numerus="yes">
        <source>ClinicChat was closed while answering; %n answer(s) are marked as interrupted.</source>
        <translation>
            <numerusform>ClinicChat se cerró mientras respondía; %n respuesta se ha marcado como interrumpida.</numerusform>
            <numerusform>ClinicChat se cerró mientras respondía; %n respuestas se han marcado como interrumpidas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter your passphrase to open your conversations.</source>
        <translation>Introduzca su frase de contraseña para abrir sus conversaciones.</translation>
    </message>
    <message>
        <source>Close ClinicChat?</source>
        <translation>¿Cerrar ClinicChat?</translation>
    </message>
    <message>
        <source>ClinicChat keeps your conversations encrypted on this computer, and there is no keychain here to hold the key, so it needs a passphrase. Without one it closes now; nothing has been saved. It asks again at the next start.</source>
        <translation>ClinicChat guarda sus conversaciones cifradas en este ordenador y aquí no hay ningún llavero que guarde la clave, así que necesita una frase de contraseña. Sin ella se cerrará ahora; no se ha guardado nada. Se lo volverá a pedir la próxima vez que lo abra.</translation>
    </message>
    <message>
        <source>Set a passphrase</source>
        <translation>Establecer una frase de contraseña</translation>
    </message>
    <message>
        <source>Close ClinicChat</source>
        <translation>Cerrar ClinicChat</translation>
    </message>
    <message>
        <source>Your history key was kept in a store that is not a real keychain (%1): anyone who can read your files could open your conversations. Set a passphrase to protect it.</source>
        <translation>La clave de su historial estaba guardada en un almacén que no es un llavero real (%1): cualquiera que pueda leer sus archivos podría abrir sus conversaciones. Establezca una frase de contraseña para protegerla.</translation>
    </message>
    <message>
        <source>Enter your passphrase to continue.</source>
        <translation>Introduzca su frase de contraseña para continuar.</translation>
    </message>
    <message>
        <source>Conversations are hidden. Click Unlock to continue.</source>
        <translation>Las conversaciones están ocultas. Haga clic en Desbloquear para continuar.</translation>
    </message>
    <message>
        <source>Show the recovery key?</source>
        <translation>¿Mostrar la clave de recuperación?</translation>
    </message>
    <message>
        <source>The recovery key opens every saved conversation, on any computer, without your passphrase, and it does not change. Show it only to keep it somewhere safe (for example with your IT department), and make sure no one else can see the screen.</source>
        <translation>La clave de recuperación abre todas las conversaciones guardadas, en cualquier ordenador, sin su frase de contraseña, y no cambia. Muéstrela solo para guardarla en un lugar seguro (por ejemplo, con su departamento de informática) y asegúrese de que nadie más vea la pantalla.</translation>
    </message>
    <message>
        <source>Show recovery key</source>
        <translation>Mostrar la clave de recuperación</translation>
    </message>
    <message>
        <source>Passphrase changed</source>
        <translation>Se ha cambiado la frase de contraseña</translation>
    </message>
    <message>
        <source>Start a new history?</source>
        <translation>¿Empezar un historial nuevo?</translation>
    </message>
    <message>
        <source>The current history file will be kept, renamed, in the data folder, so IT can still recover it. ClinicChat will start with an empty history.</source>
        <translation>El archivo del historial actual se conservará, con otro nombre, en la carpeta de datos, para que el departamento de informática pueda recuperarlo. ClinicChat se iniciará con un historial vacío.</translation>
    </message>
</context>
<context>
    <name>ImportRecoveryKeyDialog</name>
    <message>
        <source>Import recovery key</source>
        <translation>Importar clave de recuperación</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clave de recuperación</translation>
    </message>
    <message>
        <source>Recovery key:</source>
        <translation>Clave de recuperación:</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nueva frase de contraseña</translation>
    </message>
    <message>
        <source>New passphrase:</source>
        <translation>Nueva frase de contraseña:</translation>
    </message>
    <message>
        <source>Repeat passphrase</source>
        <translation>Repetir frase de contraseña</translation>
    </message>
    <message>
        <source>Repeat:</source>
        <translation>Repetir:</translation>
    </message>
    <message>
        <source>Enter the recovery key.</source>
        <translation>Introduzca la clave de recuperación.</translation>
    </message>
    <message>
        <source>The passphrase needs at least %1 characters.</source>
        <translation>La frase de contraseña debe tener al menos %1 caracteres.</translation>
    </message>
    <message>
        <source>The two passphrases are not the same.</source>
        <translation>Las dos frases de contraseña no coinciden.</translation>
    </message>
</context>
<context>
    <name>InstalledRow</name>
    <message>
        <source>default</source>
        <translation>predeterminado</translation>
    </message>
    <message>
        <source>used for document search</source>
        <translation>usado para buscar en los documentos</translation>
    </message>
    <message>
        <source>from the catalog</source>
        <translation>del catálogo</translation>
    </message>
    <message>
        <source>imported file</source>
        <translation>archivo importado</translation>
    </message>
    <message>
        <source>Finds document passages by meaning (llama.cpp); it does not chat.</source>
        <translation>Encuentra pasajes de los documentos por su significado (llama.cpp); no conversa.</translation>
    </message>
    <message>
        <source>Set as default</source>
        <translation>Establecer como predeterminado</translation>
    </message>
    <message>
        <source>Use for document search</source>
        <translation>Usar para buscar en los documentos</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Verificar</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Eliminar…</translation>
    </message>
    <message>
        <source>Verifying… %1%</source>
        <translation>Verificando… %1%</translation>
    </message>
    <message>
        <source>Verified: the checksum matches the catalog (%1).</source>
        <translation>Verificado: la suma de verificación coincide con la del catálogo (%1).</translation>
    </message>
    <message>
        <source>Changed since it was verified. Verify it again.</source>
        <translation>Ha cambiado desde que se verificó. Vuelva a verificarlo.</translation>
    </message>
    <message>
        <source>The checksum does not match the catalog: the file is damaged or not the published one. Remove it and download it again.</source>
        <translation>La suma de verificación no coincide con la del catálogo: el archivo está dañado o no es el publicado. Elimínelo y vuelva a descargarlo.</translation>
    </message>
    <message>
        <source>Not verified yet.</source>
        <translation>Aún no se ha verificado.</translation>
    </message>
    <message>
        <source>Not verified (the catalog gives no checksum).</source>
        <translation>No verificado (el catálogo no da suma de comprobación).</translation>
    </message>
    <message>
        <source>No published checksum to verify against (imported file).</source>
        <translation>No hay ninguna suma de verificación publicada con la que comparar (archivo importado).</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>ClinicChat is locked</source>
        <translation>ClinicChat está bloqueado</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frase de contraseña</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <source>Import recovery key…</source>
        <translation>Importar clave de recuperación…</translation>
    </message>
    <message>
        <source>Start a new history (keep the old file)</source>
        <translation>Empezar un historial nuevo (conservar el archivo anterior)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Import a model file</source>
        <translation>Importar un archivo de modelo</translation>
    </message>
    <message>
        <source>GGUF model files (*.gguf)</source>
        <translation>Archivos de modelo GGUF (*.gguf)</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>You</source>
        <translation>Usted</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy this message</source>
        <translation>Copiar este mensaje</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Texto del mensaje</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Razonamiento</translation>
    </message>
    <message>
        <source>How the model worked the question through. Not part of the answer.</source>
        <translation>Cómo razonó el modelo la pregunta. No forma parte de la respuesta.</translation>
    </message>
    <message>
        <source>The model&apos;s reasoning</source>
        <translation>El razonamiento del modelo</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Fuentes</translation>
    </message>
    <message>
        <source>This answer cites none of these passages: the documents may not answer the question. Check it against them before relying on it.</source>
        <translation>Esta respuesta no cita ninguno de estos pasajes: puede que los documentos no respondan a la pregunta. Compruébela con ellos antes de fiarse de ella.</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>Pensando…</translation>
    </message>
    <message>
        <source>Preparing the answer…</source>
        <translation>Preparando la respuesta…</translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>Esperando…</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>Escribiendo…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenida</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallida</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Interrumpida</translation>
    </message>
</context>
<context>
    <name>ModelBar</name>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <source>Import model file…</source>
        <translation>Importar archivo de modelo…</translation>
    </message>
    <message>
        <source>&amp;Threads:</source>
        <translation>H&amp;ilos:</translation>
    </message>
    <message>
        <source>Processor threads</source>
        <translation>Hilos del procesador</translation>
    </message>
    <message>
        <source>Processor threads used to answer. More is not always faster; applies from the next answer.</source>
        <translation>Hilos del procesador que se usan para responder. Usar más hilos no siempre es más rápido; se aplica a partir de la próxima respuesta.</translation>
    </message>
    <message>
        <source>Threads in use</source>
        <translation>Hilos en uso</translation>
    </message>
    <message>
        <source>Clinic server: %1</source>
        <translation>Servidor de la clínica: %1</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <source>%1 parameters</source>
        <translation>%1 parámetros</translation>
    </message>
    <message>
        <source>quantisation %1</source>
        <translation>cuantización %1</translation>
    </message>
    <message>
        <source>download %1</source>
        <translation>descarga de %1</translation>
    </message>
    <message>
        <source>for document search, not chat</source>
        <translation>para buscar en documentos, no para conversar</translation>
    </message>
    <message>
        <source>%1 billion parameters</source>
        <translation>%1 mil millones de parámetros</translation>
    </message>
    <message>
        <source>%1 million parameters</source>
        <translation>%1 millones de parámetros</translation>
    </message>
    <message>
        <source>Adds about %1 GB of memory (RAM) to the chat model&apos;s.</source>
        <translation>Añade unos %1 GB de memoria (RAM) a los del modelo de conversación.</translation>
    </message>
    <message>
        <source>Memory needed: not stated by the catalog</source>
        <translation>Memoria necesaria: el catálogo no la indica</translation>
    </message>
    <message>
        <source>Needs %1 GB of memory (RAM)</source>
        <translation>Necesita %1 GB de memoria (RAM)</translation>
    </message>
    <message>
        <source>Needs %1 GB of memory (RAM); this computer has %2.</source>
        <translation>Necesita %1 GB de memoria (RAM); este equipo tiene %2.</translation>
    </message>
    <message>
        <source>Needs %1 GB of memory (RAM), but this computer has only %2: it would be very slow or fail.</source>
        <translation>Necesita %1 GB de memoria (RAM), pero este equipo solo tiene %2: funcionaría muy lentamente o fallaría.</translation>
    </message>
    <message>
        <source>From the catalog file, in its own words (not written by ClinicChat):</source>
        <translation>Del archivo de catálogo, con sus propias palabras (no lo ha escrito ClinicChat):</translation>
    </message>
    <message>
        <source>Commercial use: yes, with conditions</source>
        <translation>Uso comercial: sí, con condiciones</translation>
    </message>
    <message>
        <source>Commercial use: yes</source>
        <translation>Uso comercial: sí</translation>
    </message>
    <message>
        <source>Commercial use: no</source>
        <translation>Uso comercial: no</translation>
    </message>
    <message>
        <source>Commercial use: not stated</source>
        <translation>Uso comercial: no indicado</translation>
    </message>
    <message>
        <source>As ClinicChat reads the licence; check the licence itself before use in a clinic.</source>
        <translation>Según la lectura que hace ClinicChat de la licencia; revise la propia licencia antes de usar el modelo en la práctica clínica.</translation>
    </message>
    <message>
        <source>As the catalog states the licence; check it before use in a clinic.</source>
        <translation>Según la licencia que indica el catálogo; revísela antes de usar el modelo en la práctica clínica.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Delete partial file</source>
        <translation>Eliminar el archivo parcial</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Instalado</translation>
    </message>
    <message>
        <source>Resume download</source>
        <translation>Reanudar la descarga</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message>
        <source>Partly downloaded: %1 of %2. Resume to continue.</source>
        <translation>Descargado parcialmente: %1 de %2. Reanude la descarga para continuar.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>%1 MB/s</source>
        <translation>%1 MB/s</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>Connection problem; trying again…</source>
        <translation>Problema de conexión; reintentando…</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>Comprobando el archivo…</translation>
    </message>
    <message>
        <source>Downloaded and verified</source>
        <translation>Descargado y verificado</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenida</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelada</translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>queda menos de un minuto</translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>queda %n min</numerusform>
            <numerusform>quedan %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h left</source>
        <translation>
            <numerusform>queda %n h</numerusform>
            <numerusform>quedan %n h</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelControl</name>
    <message>
        <source>Some model files cannot be used:</source>
        <extracomment>Set by the server flow; None: no clinic server is ever offered.</extracomment>
        <translation>Algunos archivos de modelo no se pueden usar:</translation>
    </message>
    <message>
        <source>No model installed</source>
        <translation>No hay ningún modelo instalado</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>No hay ningún modelo cargado</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <source>Model: %1 · on the clinic&apos;s server %2</source>
        <translation>Modelo: %1 · en el servidor de la clínica %2</translation>
    </message>
    <message>
        <source>Model: %1 · Engine: %2 · Device: %3 · Threads: %4</source>
        <translation>Modelo: %1 · Motor: %2 · Dispositivo: %3 · Hilos: %4</translation>
    </message>
    <message>
        <source> · Answers at once: %1</source>
        <translation> · Respuestas a la vez: %1</translation>
    </message>
    <message>
        <source>Copying the model file…</source>
        <translation>Copiando el archivo de modelo…</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>La importación ha fallado</translation>
    </message>
    <message>
        <source>%1 is downloaded, verified and ready.</source>
        <translation>%1 está descargado, verificado y listo.</translation>
    </message>
    <message>
        <source>Settings could not be saved: %1</source>
        <translation>No se ha podido guardar la configuración: %1</translation>
    </message>
</context>
<context>
    <name>ModelDescriptions</name>
    <message>
        <source>Apache 2.0 licence: free to use, also commercially, so a clinic may use it.</source>
        <translation>Licencia Apache 2.0: de uso libre, también comercial, así que un centro sanitario puede usarlo.</translation>
    </message>
    <message>
        <source>Gemma Terms of Use (Google): a clinic may use it, also commercially, under Google&apos;s prohibited use policy, which forbids automated decisions about people&apos;s health and practising medicine without a licence. Whoever passes the model on must pass these terms on.</source>
        <translation>Términos de uso de Gemma (Google): un centro sanitario puede usarlo, también con fines comerciales, conforme a la política de usos prohibidos de Google, que prohíbe las decisiones automatizadas sobre la salud de las personas y ejercer la medicina sin licencia. Quien entregue el modelo a terceros debe transmitirles estos términos.</translation>
    </message>
    <message>
        <source>Health AI Developer Foundations terms (Google): commercial use is not prohibited, but only under these terms. Automated decisions about patients&apos; care are forbidden, use in diagnosis or treatment may need a health regulator&apos;s approval, and whoever passes the model on must pass the terms and their restrictions on. Read the terms before any clinical use.</source>
        <translation>Términos de Health AI Developer Foundations (Google): el uso comercial no está prohibido, pero solo conforme a estos términos. Se prohíben las decisiones automatizadas sobre la atención a pacientes, el uso en diagnóstico o tratamiento puede requerir la aprobación de la autoridad sanitaria, y quien entregue el modelo a terceros debe transmitirles los términos y sus restricciones. Lea los términos antes de cualquier uso clínico.</translation>
    </message>
    <message>
        <source>Meta Llama 3.2 Community Licence: a clinic may use it, also commercially, if it follows Meta&apos;s acceptable use policy, which forbids practising medicine without a licence, and credits “Built with Llama” when it passes the model on.</source>
        <translation>Licencia comunitaria de Meta Llama 3.2: un centro sanitario puede usarlo, también con fines comerciales, si respeta la política de uso aceptable de Meta, que prohíbe ejercer la medicina sin licencia, y menciona «Built with Llama» cuando entrega el modelo a terceros.</translation>
    </message>
    <message>
        <source>Non-commercial licence (CC BY-NC-SA 4.0): it may not be used commercially, so most clinics may not use it.</source>
        <translation>Licencia no comercial (CC BY-NC-SA 4.0): no puede usarse con fines comerciales, así que la mayoría de los centros sanitarios no pueden usarlo.</translation>
    </message>
    <message>
        <source>An older (2023) chat model with 7 billion parameters, by MosaicML.</source>
        <translation>Un modelo de conversación más antiguo (2023), de 7000 millones de parámetros, de MosaicML.</translation>
    </message>
    <message>
        <source>Chats fluently in English, but it is weak in Spanish and less accurate than newer models.</source>
        <translation>Conversa con fluidez en inglés, pero es flojo en español y menos preciso que los modelos recientes.</translation>
    </message>
    <message>
        <source>A medical model by Google: reading and drafting medical text, such as summarising notes and explaining findings, always checked by a clinician.</source>
        <translation>Un modelo médico de Google: leer y redactar textos médicos, como resumir notas y explicar hallazgos, siempre revisado por un profesional sanitario.</translation>
    </message>
    <message>
        <source>Trained by Google for medical text and images (ClinicChat uses it for text only). Google says its answers are not meant to inform diagnosis or treatment directly: they need independent checking before any clinical use. Google evaluated it mainly in English; its Spanish has not been validated.</source>
        <translation>Entrenado por Google para textos e imágenes médicos (ClinicChat solo lo usa para texto). Google indica que sus respuestas no están pensadas para orientar directamente el diagnóstico ni el tratamiento: necesitan una comprobación independiente antes de cualquier uso clínico. Google lo evaluó sobre todo en inglés; su español no está validado.</translation>
    </message>
    <message>
        <source>A general-purpose model by Google (Gemma 4, 2026): drafting notes, letters and explanations for patients, and summarising documents.</source>
        <translation>Un modelo de uso general de Google (Gemma 4, 2026): redactar notas, cartas y explicaciones para pacientes, y resumir documentos.</translation>
    </message>
    <message>
        <source>Writes Spanish, English and many other languages (Google states over 140) and can read long documents. It is not trained or validated for medicine: check every clinical fact.</source>
        <translation>Escribe en español, inglés y muchos otros idiomas (Google indica más de 140) y puede leer documentos largos. No está entrenado ni validado para medicina: compruebe cada dato clínico.</translation>
    </message>
    <message>
        <source>A strong reasoning model by Alibaba (Qwen3): harder questions, structured summaries and step-by-step explanations.</source>
        <translation>Un modelo de razonamiento potente de Alibaba (Qwen3): preguntas más difíciles, resúmenes estructurados y explicaciones paso a paso.</translation>
    </message>
    <message>
        <source>A “thinking” model: it reasons step by step before it answers, which helps with complex questions but makes answers slower to arrive. Writes Spanish, English and many other languages. It is not trained or validated for medicine: check every clinical fact.</source>
        <translation>Un modelo que «piensa»: razona paso a paso antes de responder, lo que ayuda con preguntas complejas pero hace que las respuestas tarden más en llegar. Escribe en español, inglés y muchos otros idiomas. No está entrenado ni validado para medicina: compruebe cada dato clínico.</translation>
    </message>
    <message>
        <source>The lighter Gemma 4 model by Google: drafting and summarising on computers with 8 GB of memory.</source>
        <translation>El modelo Gemma 4 más ligero de Google: redactar y resumir en equipos con 8 GB de memoria.</translation>
    </message>
    <message>
        <source>Writes Spanish, English and many other languages (Google states over 140), but it is less capable than Gemma 4 E4B. It is not trained or validated for medicine: check every clinical fact.</source>
        <translation>Escribe en español, inglés y muchos otros idiomas (Google indica más de 140), pero es menos capaz que Gemma 4 E4B. No está entrenado ni validado para medicina: compruebe cada dato clínico.</translation>
    </message>
    <message>
        <source>A mid-sized reasoning model by Alibaba (Qwen3): short drafts, summaries and explanations on computers with 8 GB of memory.</source>
        <translation>Un modelo de razonamiento mediano de Alibaba (Qwen3): borradores breves, resúmenes y explicaciones en equipos con 8 GB de memoria.</translation>
    </message>
    <message>
        <source>A “thinking” model: it reasons step by step before it answers, so answers take longer to start. Writes Spanish, English and many other languages. It knows fewer facts than larger models and is not trained for medicine: check every clinical fact.</source>
        <translation>Un modelo que «piensa»: razona paso a paso antes de responder, así que las respuestas tardan más en empezar. Escribe en español, inglés y muchos otros idiomas. Conoce menos datos que los modelos grandes y no está entrenado para medicina: compruebe cada dato clínico.</translation>
    </message>
    <message>
        <source>A mid-sized general-purpose model by Google (Gemma 3): drafting notes, letters and explanations for patients.</source>
        <translation>Un modelo mediano de uso general de Google (Gemma 3): redactar notas, cartas y explicaciones para pacientes.</translation>
    </message>
    <message>
        <source>Answers directly, without reasoning at length first, and writes Spanish, English and many other languages (Google states over 140). It is not trained for medicine (MedGemma is its medical version): check every clinical fact.</source>
        <translation>Responde directamente, sin razonar extensamente antes, y escribe en español, inglés y muchos otros idiomas (Google indica más de 140). No está entrenado para medicina (MedGemma es su versión médica): compruebe cada dato clínico.</translation>
    </message>
    <message>
        <source>A mid-sized model by Microsoft that reasons well for its size: structured answers and explanations.</source>
        <translation>Un modelo mediano de Microsoft que razona bien para su tamaño: respuestas estructuradas y explicaciones.</translation>
    </message>
    <message>
        <source>Good at step-by-step answers and summaries. It handles 23 languages, Spanish among them, but knows fewer facts than larger models, and Microsoft advises extra care with health advice: check every clinical fact.</source>
        <translation>Da buenas respuestas paso a paso y buenos resúmenes. Maneja 23 idiomas, entre ellos el español, pero conoce menos datos que los modelos grandes, y Microsoft aconseja especial cuidado con los consejos de salud: compruebe cada dato clínico.</translation>
    </message>
    <message>
        <source>A small, fast general-purpose model by Meta: short drafts, rewording and simple questions.</source>
        <translation>Un modelo pequeño y rápido de uso general de Meta: borradores breves, reformulaciones y preguntas sencillas.</translation>
    </message>
    <message>
        <source>Writes English, Spanish and six other languages (German, French, Italian, Portuguese, Hindi and Thai). Being small, it makes more mistakes than larger models: check every answer.</source>
        <translation>Escribe en inglés, español y otros seis idiomas (alemán, francés, italiano, portugués, hindi y tailandés). Al ser pequeño, se equivoca más que los modelos grandes: compruebe cada respuesta.</translation>
    </message>
    <message>
        <source>The smallest current model: short drafts and simple questions on computers with little memory.</source>
        <translation>El modelo actual más pequeño: borradores breves y preguntas sencillas en equipos con poca memoria.</translation>
    </message>
    <message>
        <source>Writes Spanish, English and many other languages. A “thinking” model: it reasons before it answers, which helps a small model but takes time on a slow computer. Being small, it makes more mistakes and misses nuance: check every answer.</source>
        <translation>Escribe en español, inglés y muchos otros idiomas. Un modelo que «piensa»: razona antes de responder, lo que ayuda a un modelo pequeño pero lleva tiempo en un equipo lento. Al ser pequeño, se equivoca más y pierde matices: compruebe cada respuesta.</translation>
    </message>
    <message>
        <source>Used for document search only, never to chat: with it, a question also finds the passages that say the same thing in other words or in the other language. It reads Spanish, English and over 100 other languages. Giving every passage its vector takes a while on a slow computer; it runs in the background and goes on after a restart.</source>
        <translation>Solo sirve para buscar en los documentos, nunca para conversar: con él, una pregunta también encuentra los pasajes que dicen lo mismo con otras palabras o en el otro idioma. Lee español, inglés y más de 100 idiomas. Dar a cada pasaje su vector lleva un rato en un ordenador lento; se hace en segundo plano y continúa tras reiniciar.</translation>
    </message>
    <message>
        <source>Finds the passages of the clinic&apos;s documents by meaning (Qwen3 Embedding, by Alibaba): the recommended search model.</source>
        <translation>Encuentra los pasajes de los documentos de la clínica por su significado (Qwen3 Embedding, de Alibaba): el modelo de búsqueda recomendado.</translation>
    </message>
    <message>
        <source>Finds the passages of the clinic&apos;s documents by meaning (BGE-M3, by BAAI), under the MIT licence.</source>
        <translation>Encuentra los pasajes de los documentos de la clínica por su significado (BGE-M3, de BAAI), con licencia MIT.</translation>
    </message>
    <message>
        <source>Finds the passages of the clinic&apos;s documents by meaning (EmbeddingGemma, by Google): the smallest and fastest search model.</source>
        <translation>Encuentra los pasajes de los documentos de la clínica por su significado (EmbeddingGemma, de Google): el modelo de búsqueda más pequeño y rápido.</translation>
    </message>
    <message>
        <source>The starter: a tiny model for trying ClinicChat, to see how the app works.</source>
        <translation>El modelo inicial: un modelo diminuto para probar ClinicChat y ver cómo funciona la aplicación.</translation>
    </message>
    <message>
        <source>It answers quickly on any computer, but it is tiny and often wrong: it invents facts and loses track of longer questions. Only for trying the app; not for clinical use. English only: questions in Spanish get poor answers.</source>
        <translation>Responde rápido en cualquier equipo, pero es diminuto y a menudo se equivoca: inventa datos y pierde el hilo en preguntas largas. Solo sirve para probar la aplicación; no es para uso clínico. Solo inglés: las preguntas en español reciben respuestas pobres.</translation>
    </message>
    <message>
        <source>The strongest all-round model from GPT4All&apos;s catalog: drafting notes, letters and explanations for patients, and summarising documents.</source>
        <translation>El mejor modelo de uso general del catálogo de GPT4All: redactar notas, cartas y explicaciones para pacientes, y resumir documentos.</translation>
    </message>
    <message>
        <source>Follows instructions well and writes clear English and Spanish (also French, German, Italian, Portuguese, Hindi and Thai), and can read long documents. It is slow on an ordinary processor (a few words per second). Its knowledge ends in December 2023 and it can state wrong facts confidently: check every clinical fact.</source>
        <translation>Sigue bien las instrucciones, escribe con claridad en español e inglés (también francés, alemán, italiano, portugués, hindi y tailandés) y puede leer documentos largos. En un procesador corriente es lento (unas pocas palabras por segundo). Sus conocimientos llegan a diciembre de 2023 y puede afirmar datos erróneos con seguridad: compruebe cada dato clínico.</translation>
    </message>
    <message>
        <source>Meta Llama 3.1 Community Licence: a clinic may use it, also commercially, if it follows Meta&apos;s acceptable use policy and credits “Built with Llama” when it passes the model on.</source>
        <translation>Licencia comunitaria de Meta Llama 3.1: un centro sanitario puede usarlo, también con fines comerciales, si respeta la política de uso aceptable de Meta y menciona «Built with Llama» cuando entrega el modelo a terceros.</translation>
    </message>
    <message>
        <source>A mid-sized model that reasons well for its size: short drafts and explanations on computers with 4 GB of memory.</source>
        <translation>Un modelo mediano que razona bien para su tamaño: borradores breves y explicaciones en equipos con 4 GB de memoria.</translation>
    </message>
    <message>
        <source>Good at structured, step-by-step answers, and faster than the larger models. It is trained mostly in English, so its Spanish is weak, and it knows fewer facts than larger models. It reads only about 4,000 tokens at a time (a few pages): long documents do not fit.</source>
        <translation>Da buenas respuestas estructuradas, paso a paso, y es más rápido que los modelos grandes. Está entrenado sobre todo en inglés, así que su español es flojo, y conoce menos datos que los modelos grandes. Solo lee unos 4000 tokens a la vez (unas pocas páginas): los documentos largos no caben.</translation>
    </message>
    <message>
        <source>MIT licence: free to use, also commercially, with no restrictions.</source>
        <translation>Licencia MIT: de uso libre, también comercial, sin restricciones.</translation>
    </message>
    <message>
        <source>A small, fast model for computers with little memory: short drafts and simple questions.</source>
        <translation>Un modelo pequeño y rápido para equipos con poca memoria: borradores breves y preguntas sencillas.</translation>
    </message>
    <message>
        <source>Writes many languages, Spanish included, and reads long texts (up to 32,000 tokens). Being small, it makes more mistakes than larger models and misses nuance: check every answer.</source>
        <translation>Escribe en muchos idiomas, incluido el español, y lee textos largos (hasta 32 000 tokens). Al ser pequeño, se equivoca más que los modelos grandes y pierde matices: compruebe cada respuesta.</translation>
    </message>
    <message>
        <source>An older (2023) general-purpose model with 7 billion parameters, by Mistral AI.</source>
        <translation>Un modelo de uso general más antiguo (2023), de 7000 millones de parámetros, de Mistral AI.</translation>
    </message>
    <message>
        <source>Fluent in English, usable but weaker in Spanish. It has no safety tuning and is less accurate than Llama 3.1 8B, which needs the same memory.</source>
        <translation>Fluido en inglés; en español se puede usar, pero es más flojo. No tiene ajustes de seguridad y es menos preciso que Llama 3.1 8B, que necesita la misma memoria.</translation>
    </message>
    <message>
        <source>An older (2023) chat model with 7 billion parameters: Mistral trained further on the OpenOrca collection of questions and answers.</source>
        <translation>Un modelo de conversación más antiguo (2023), de 7000 millones de parámetros: Mistral entrenado además con la colección de preguntas y respuestas OpenOrca.</translation>
    </message>
    <message>
        <source>Good at conversation and explanations in English, weaker in Spanish. Newer models such as Llama 3.1 8B, which needs the same memory, are more accurate.</source>
        <translation>Bueno para conversar y explicar en inglés, más flojo en español. Los modelos más recientes, como Llama 3.1 8B, que necesita la misma memoria, son más precisos.</translation>
    </message>
    <message>
        <source>An older (2023) model with 7 billion parameters, by TII, trained by Nomic AI to follow instructions.</source>
        <translation>Un modelo más antiguo (2023), de 7000 millones de parámetros, de TII, entrenado por Nomic AI para seguir instrucciones.</translation>
    </message>
    <message>
        <source>Quick, but noticeably less accurate than newer models, weak in Spanish, and it reads only about 2,000 tokens at a time. Llama 3.1 8B needs the same memory and is better.</source>
        <translation>Rápido, pero bastante menos preciso que los modelos recientes, flojo en español, y solo lee unos 2000 tokens a la vez. Llama 3.1 8B necesita la misma memoria y es mejor.</translation>
    </message>
    <message>
        <source>A small, older (2023) model with 3 billion parameters, trained to explain its answers.</source>
        <translation>Un modelo pequeño y más antiguo (2023), de 3000 millones de parámetros, entrenado para explicar sus respuestas.</translation>
    </message>
    <message>
        <source>Runs with 4 GB of memory, but its answers are often shallow or wrong, and it is weak in Spanish. Phi-3 Mini needs the same memory and is much better.</source>
        <translation>Funciona con 4 GB de memoria, pero sus respuestas suelen ser superficiales o erróneas, y es flojo en español. Phi-3 Mini necesita la misma memoria y es mucho mejor.</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Available to download</source>
        <translation>Disponibles para descargar</translation>
    </message>
    <message>
        <source>Show withdrawn and unusable models</source>
        <translation>Mostrar modelos retirados y no utilizables</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Instalados</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Voz</translation>
    </message>
    <message>
        <source>Import model file…</source>
        <translation>Importar archivo de modelo…</translation>
    </message>
    <message>
        <source>Open models folder</source>
        <translation>Abrir la carpeta de modelos</translation>
    </message>
    <message>
        <source>Delete partial file</source>
        <translation>Eliminar el archivo parcial</translation>
    </message>
    <message>
        <source>Delete the partly downloaded file of %1?</source>
        <translation>¿Eliminar el archivo descargado parcialmente de %1?</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>Cancelar la descarga</translation>
    </message>
    <message>
        <source>Stop downloading %1? The part already downloaded can be kept to resume later.</source>
        <translation>¿Detener la descarga de %1? La parte ya descargada se puede conservar para reanudarla más tarde.</translation>
    </message>
    <message>
        <source>Stop, keep the part</source>
        <translation>Detener y conservar la parte</translation>
    </message>
    <message>
        <source>Stop and delete the part</source>
        <translation>Detener y eliminar la parte</translation>
    </message>
    <message>
        <source>Continue downloading</source>
        <translation>Seguir descargando</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Verificar</translation>
    </message>
    <message>
        <source>%1 could not be read to verify it: %2</source>
        <translation>No se ha podido leer %1 para verificarlo: %2</translation>
    </message>
    <message>
        <source>Model in use</source>
        <translation>Modelo en uso</translation>
    </message>
    <message>
        <source>This model is in use. Choose another model first, then remove it.</source>
        <translation>Este modelo está en uso. Elija primero otro modelo y después elimínelo.</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>Eliminar modelo</translation>
    </message>
    <message>
        <source>Delete %1 (%2) from this computer? It can be downloaded again later.</source>
        <translation>¿Eliminar %1 (%2) de este equipo? Podrá volver a descargarlo más tarde.</translation>
    </message>
</context>
<context>
    <name>ModelManagerFlow</name>
    <message>
        <source>The download of %1 stopped: %2</source>
        <translation>La descarga de %1 se ha detenido: %2</translation>
    </message>
    <message>
        <source>A download was interrupted (%1). Open File → Models to resume it.</source>
        <translation>Se ha interrumpido una descarga (%1). Abra Archivo → Modelos para reanudarla.</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>An embedding model for document search; it cannot chat.</source>
        <translation>Modelo de embeddings para buscar en documentos; no puede conversar.</translation>
    </message>
    <message>
        <source>GPT4All does not offer this model for chat.</source>
        <translation>GPT4All no ofrece este modelo para conversar.</translation>
    </message>
    <message>
        <source>Needs a newer model engine than this version of ClinicChat has.</source>
        <translation>Necesita un motor de modelos más reciente que el de esta versión de ClinicChat.</translation>
    </message>
    <message>
        <source>GPT4All withdrew this older file; use the newer file of the same model.</source>
        <translation>GPT4All ha retirado este archivo antiguo; use el archivo más reciente del mismo modelo.</translation>
    </message>
    <message>
        <source>The catalog gives no download address.</source>
        <translation>El catálogo no indica ninguna dirección de descarga.</translation>
    </message>
</context>
<context>
    <name>NewPassphraseDialog</name>
    <message>
        <source>Change passphrase</source>
        <translation>Cambiar la frase de contraseña</translation>
    </message>
    <message>
        <source>Protect your history</source>
        <translation>Proteja su historial</translation>
    </message>
    <message>
        <source>Conversations are stored encrypted on this computer. Choose a passphrase of at least %1 characters; it is needed every time ClinicChat starts and after it locks. It cannot be recovered without the recovery key.</source>
        <translation>Las conversaciones se guardan cifradas en este equipo. Elija una frase de contraseña de al menos %1 caracteres; se le pedirá cada vez que se inicie ClinicChat y después de cada bloqueo. No se puede recuperar sin la clave de recuperación.</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Frase de contraseña actual</translation>
    </message>
    <message>
        <source>Current passphrase:</source>
        <translation>Frase de contraseña actual:</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nueva frase de contraseña</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Frase de contraseña:</translation>
    </message>
    <message>
        <source>Repeat passphrase</source>
        <translation>Repetir frase de contraseña</translation>
    </message>
    <message>
        <source>Repeat:</source>
        <translation>Repetir:</translation>
    </message>
    <message>
        <source>The passphrase needs at least %1 characters.</source>
        <translation>La frase de contraseña debe tener al menos %1 caracteres.</translation>
    </message>
    <message>
        <source>The two passphrases are not the same.</source>
        <translation>Las dos frases de contraseña no coinciden.</translation>
    </message>
</context>
<context>
    <name>PassageDialog</name>
    <message>
        <source>Source [%1]</source>
        <translation>Fuente [%1]</translation>
    </message>
    <message>
        <source>The whole page; the passage the model was given is marked.</source>
        <translation>La página entera; el pasaje que recibió el modelo está marcado.</translation>
    </message>
    <message>
        <source>The page, with the cited passage marked</source>
        <translation>La página, con el pasaje citado marcado</translation>
    </message>
    <message>
        <source>The passage as the model was given it. The document has changed or left the library since, so its page cannot be shown.</source>
        <translation>El pasaje tal como lo recibió el modelo. El documento ha cambiado o ya no está en la biblioteca, así que su página no puede mostrarse.</translation>
    </message>
    <message>
        <source>The passage the model was given</source>
        <translation>El pasaje que recibió el modelo</translation>
    </message>
    <message>
        <source>Open the original file…</source>
        <translation>Abrir el archivo original…</translation>
    </message>
    <message>
        <source>The file is no longer where it was indexed.</source>
        <translation>El archivo ya no está donde se indexó.</translation>
    </message>
    <message>
        <source>Open %1 in the program this computer uses for it?</source>
        <translation>¿Abrir %1 con el programa que este equipo usa para ello?</translation>
    </message>
    <message>
        <source>Open the original file</source>
        <translation>Abrir el archivo original</translation>
    </message>
</context>
<context>
    <name>PresetEditorDialog</name>
    <message>
        <source>Presets</source>
        <translation>Plantillas</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <source>&amp;New preset…</source>
        <translation>&amp;Nueva plantilla…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>E&amp;liminar…</translation>
    </message>
    <message>
        <source>&amp;Reset to default…</source>
        <translation>&amp;Restablecer la versión original…</translation>
    </message>
    <message>
        <source>Delete preset</source>
        <translation>Eliminar plantilla</translation>
    </message>
    <message>
        <source>Delete the preset “%1”? This cannot be undone.</source>
        <translation>¿Eliminar la plantilla “%1”? Esta acción no se puede deshacer.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Reset preset</source>
        <translation>Restablecer plantilla</translation>
    </message>
    <message>
        <source>Reset “%1” to the built-in version? Your changes to it will be lost.</source>
        <translation>¿Restablecer “%1” a la versión integrada? Se perderán los cambios que haya hecho en ella.</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Restablecer</translation>
    </message>
    <message>
        <source>The change could not be saved (%1).</source>
        <translation>No se ha podido guardar el cambio (%1).</translation>
    </message>
    <message>
        <source>%1 (built-in, edited)</source>
        <translation>%1 (integrada, modificada)</translation>
    </message>
    <message>
        <source>%1 (built-in)</source>
        <translation>%1 (integrada)</translation>
    </message>
</context>
<context>
    <name>PresetForm</name>
    <message>
        <source>New preset</source>
        <translation>Nueva plantilla</translation>
    </message>
    <message>
        <source>Edit preset</source>
        <translation>Editar plantilla</translation>
    </message>
    <message>
        <source>Your changes replace this built-in preset. “Reset to default” in the list of presets brings back the original.</source>
        <translation>Sus cambios sustituyen a esta plantilla integrada. “Restablecer la versión original”, en la lista de plantillas, recupera la original.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Descripción:</translation>
    </message>
    <message>
        <source>&amp;System prompt:</source>
        <translation>Instrucciones del &amp;sistema:</translation>
    </message>
    <message>
        <source>&amp;Instruction:</source>
        <translation>&amp;Instrucción inicial:</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>One line shown under the name (optional)</source>
        <translation>Una línea que se muestra bajo el nombre (opcional)</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Instrucciones del sistema</translation>
    </message>
    <message>
        <source>How the assistant should work: its role, what to include, and that it must never invent findings or doses.</source>
        <translation>Cómo debe trabajar el asistente: su función, qué debe incluir y que nunca debe inventar hallazgos ni dosis.</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Instrucción inicial</translation>
    </message>
    <message>
        <source>Put in the question box when a conversation starts (optional)</source>
        <translation>Texto que se coloca en el cuadro de pregunta al iniciar una conversación (opcional)</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <source>The preset could not be saved (%1).</source>
        <translation>No se ha podido guardar la plantilla (%1).</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Descartar cambios</translation>
    </message>
    <message>
        <source>Discard your changes to this preset?</source>
        <translation>¿Descartar los cambios realizados en esta plantilla?</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>PresetPicker</name>
    <message>
        <source>Start a conversation</source>
        <translation>Iniciar una conversación</translation>
    </message>
    <message>
        <source>Start the conversation with:</source>
        <translation>Iniciar la conversación con:</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Plantillas</translation>
    </message>
    <message>
        <source>Each preset sets how the assistant works. Enter or a click starts it.</source>
        <translation>Cada plantilla define cómo trabaja el asistente. Pulse Enter o haga clic para iniciarla.</translation>
    </message>
    <message>
        <source>Manage presets…</source>
        <translation>Gestionar plantillas…</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>The name has {length} characters; the limit is {limit}.</source>
        <extracomment>The built-in preset a transcribed consultation starts with.</extracomment>
        <translation>El nombre tiene {length} caracteres; el límite es {limit}.</translation>
    </message>
    <message>
        <source>The description has {length} characters; the limit is {limit}.</source>
        <translation>La descripción tiene {length} caracteres; el límite es {limit}.</translation>
    </message>
    <message>
        <source>The system prompt has {length} characters; the limit is {limit}.</source>
        <translation>Las instrucciones del sistema tienen {length} caracteres; el límite es {limit}.</translation>
    </message>
    <message>
        <source>The instruction has {length} characters; the limit is {limit}.</source>
        <translation>La instrucción inicial tiene {length} caracteres; el límite es {limit}.</translation>
    </message>
    <message>
        <source>Give the preset a name.</source>
        <translation>Asigne un nombre a la plantilla.</translation>
    </message>
    <message>
        <source>The presets file {path} is missing.</source>
        <translation>Falta el archivo de plantillas {path}.</translation>
    </message>
    <message>
        <source>The presets in {path} could not be read ({reason}); they are left out.</source>
        <translation>No se han podido leer las plantillas de {path} ({reason}); se han omitido.</translation>
    </message>
    <message>
        <source>{path} is not a presets file that this version of ClinicChat can read; its presets are left out.</source>
        <translation>{path} no es un archivo de plantillas que esta versión de ClinicChat pueda leer; se han omitido sus plantillas.</translation>
    </message>
    <message>
        <source>Nothing was saved, so that your presets in {path} are not lost: the file cannot be read. Repair it or move it elsewhere, then try again.</source>
        <translation>No se ha guardado nada, para no perder sus plantillas de {path}: el archivo no se puede leer. Repárelo o muévalo a otra ubicación y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>{path}, preset {entry}: an earlier preset has the same id; this one is left out.</source>
        <translation>{path}, plantilla {entry}: una plantilla anterior tiene el mismo id; se omite esta.</translation>
    </message>
    <message>
        <source>{path}, preset {entry}: it is not a preset (an object); left out.</source>
        <translation>{path}, plantilla {entry}: no es una plantilla (un objeto); se omite.</translation>
    </message>
    <message>
        <source>{path}, preset {entry}: “{field}” is missing or not text; left out.</source>
        <translation>{path}, plantilla {entry}: “{field}” falta o no es texto; se omite.</translation>
    </message>
    <message>
        <source>{path}, preset {entry}: “{field}” is missing; left out.</source>
        <translation>{path}, plantilla {entry}: falta “{field}”; se omite.</translation>
    </message>
    <message>
        <source>{path}, preset {entry}: “{field}” must be text, or texts by language code (&quot;en&quot;, &quot;es&quot;); left out.</source>
        <translation>{path}, plantilla {entry}: “{field}” debe ser un texto, o textos por código de idioma (&quot;en&quot;, &quot;es&quot;); se omite.</translation>
    </message>
    <message>
        <source>{path}, preset {entry}: “{field}” is longer than {limit} characters; left out.</source>
        <translation>{path}, plantilla {entry}: “{field}” tiene más de {limit} caracteres; se omite.</translation>
    </message>
    <message>
        <source>{path}, preset {entry}: “{field}” is empty; left out.</source>
        <translation>{path}, plantilla {entry}: “{field}” está vacío; se omite.</translation>
    </message>
</context>
<context>
    <name>PromptInput</name>
    <message>
        <source>Ask a question… (Enter sends, Shift+Enter new line)</source>
        <translation>Escriba una pregunta… (Enter para enviar, Shift+Enter para nueva línea)</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Pregunta</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter starts a new line. Text files can be dropped here.</source>
        <translation>Enter envía; Shift+Enter inserta una nueva línea. Puede soltar aquí archivos de texto.</translation>
    </message>
    <message>
        <source>“%1” cannot be added: only plain-text files (.txt, .md) can. Open it in its own program and copy the text you need.</source>
        <translation>No se puede añadir “%1”: solo se admiten archivos de texto sin formato (.txt, .md). Ábralo en su propio programa y copie el texto que necesite.</translation>
    </message>
    <message>
        <source>“%1” is not a file.</source>
        <translation>“%1” no es un archivo.</translation>
    </message>
    <message>
        <source>“%1” is %2, more than the %3 a file can have here. Paste only the part you need.</source>
        <translation>“%1” ocupa %2, más de los %3 que se admiten por archivo. Pegue solo la parte que necesite.</translation>
    </message>
    <message>
        <source>“%1” could not be read (%2).</source>
        <translation>No se ha podido leer “%1” (%2).</translation>
    </message>
    <message>
        <source>“%1” is not a text file.</source>
        <translation>“%1” no es un archivo de texto.</translation>
    </message>
    <message>
        <source>This text is about %1 tokens, more than the model can read at once (%2). Shorten it or split it.</source>
        <translation>Este texto tiene unos %1 tokens, más de los que el modelo puede leer a la vez (%2). Acórtelo o divídalo.</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Ver en:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Ficheros de &amp;tipo:</translation>
    </message>
</context>
<context>
    <name>RecommendationCard</name>
    <message>
        <source>Pause or cancel in Models…</source>
        <translation>Pausar o cancelar en Modelos…</translation>
    </message>
    <message>
        <source>Recommended model</source>
        <translation>Modelo recomendado</translation>
    </message>
    <message>
        <source>Recommended for this computer: %1</source>
        <translation>Recomendado para este equipo: %1</translation>
    </message>
    <message>
        <source>Download: %1</source>
        <translation>Descarga: %1</translation>
    </message>
    <message>
        <source>needs %1 GB of memory (RAM); this computer has %2</source>
        <translation>necesita %1 GB de memoria (RAM); este equipo tiene %2</translation>
    </message>
    <message>
        <source>Download %1 (%2)</source>
        <translation>Descargar %1 (%2)</translation>
    </message>
    <message>
        <source>No recommended model fits</source>
        <translation>Ningún modelo recomendado es adecuado</translation>
    </message>
    <message>
        <source>No recommended model fits this computer</source>
        <translation>Ningún modelo recomendado es adecuado para este equipo</translation>
    </message>
    <message>
        <source>Free some disk space, or ask IT for a computer with more memory. Other models are listed under File → Models.</source>
        <translation>Libere espacio en el disco o pida a informática un equipo con más memoria. Los demás modelos están en Archivo → Modelos.</translation>
    </message>
    <message>
        <source>%1 cannot run with this version of ClinicChat.</source>
        <translation>%1 no puede ejecutarse con esta versión de ClinicChat.</translation>
    </message>
    <message>
        <source>%1 needs %2 of memory (RAM), and this computer does not say how much it has.</source>
        <translation>%1 necesita %2 de memoria (RAM), y este equipo no indica cuánta tiene.</translation>
    </message>
    <message>
        <source>%1 needs %2 of memory (RAM); this computer has %3.</source>
        <translation>%1 necesita %2 de memoria (RAM); este equipo tiene %3.</translation>
    </message>
    <message>
        <source>%1 needs %2 free in the models folder; there are %3.</source>
        <translation>%1 necesita %2 libres en la carpeta de modelos; hay %3.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>Descargando…</translation>
    </message>
    <message>
        <source>Connection problem; trying again…</source>
        <translation>Problema de conexión; reintentando…</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>Comprobando el archivo…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <source>The download stopped: %1</source>
        <translation>La descarga se detuvo: %1</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Recovery key</source>
        <translation>Clave de recuperación</translation>
    </message>
    <message>
        <source>Anyone with this key can read the history on this computer. Give it to your IT department or keep it locked away; do not store it on this computer. It opens the history on a new computer or after a passphrase is forgotten.</source>
        <translation>Cualquier persona que tenga esta clave puede leer el historial de este equipo. Entréguela a su departamento de informática o guárdela bajo llave; no la almacene en este equipo. Permite abrir el historial en un equipo nuevo o si se olvida la frase de contraseña.</translation>
    </message>
    <message>
        <source>Keep your recovery key</source>
        <translation>Guarde su clave de recuperación</translation>
    </message>
    <message>
        <source>Your history is now protected by your passphrase. If the passphrase is ever forgotten, or the history has to move to a new computer, only this recovery key can open it; without both, every conversation is lost. Give it to your IT department or keep it locked away, not on this computer. Anyone with this key can read the history.</source>
        <translation>Su historial ya está protegido con su frase de contraseña. Si alguna vez la olvida, o el historial tiene que pasar a otro ordenador, solo esta clave de recuperación podrá abrirlo; sin ninguna de las dos se pierden todas las conversaciones. Entréguela a su departamento de informática o guárdela bajo llave, no en este ordenador. Cualquiera que tenga esta clave puede leer el historial.</translation>
    </message>
    <message>
        <source>I have &amp;kept the recovery key somewhere safe</source>
        <translation>He &amp;guardado la clave de recuperación en un lugar seguro</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
</context>
<context>
    <name>SafeMarkdown</name>
    <message>
        <source>[image: %1]</source>
        <translation>[imagen: %1]</translation>
    </message>
    <message>
        <source>[image]</source>
        <translation>[imagen]</translation>
    </message>
</context>
<context>
    <name>SafeTextBrowser</name>
    <message>
        <source>Link not opened</source>
        <translation>No se ha abierto el enlace</translation>
    </message>
    <message>
        <source>ClinicChat only opens web and e-mail links.</source>
        <translation>ClinicChat solo abre enlaces web y de correo electrónico.</translation>
    </message>
    <message>
        <source>Open link?</source>
        <translation>¿Abrir el enlace?</translation>
    </message>
    <message>
        <source>This link comes from the model&apos;s answer and may be wrong:

%1

Open it in your browser?</source>
        <translation>Este enlace procede de la respuesta del modelo y puede ser incorrecto:

%1

¿Desea abrirlo en su navegador?</translation>
    </message>
</context>
<context>
    <name>ServerBanner</name>
    <message>
        <source>Questions and their conversations are sent to the clinic&apos;s server %1. Choose a model on this computer in the model list to keep them here.</source>
        <translation>Las preguntas y sus conversaciones se envían al servidor de la clínica %1. Elija un modelo de este ordenador en la lista de modelos para que no salgan de aquí.</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>Clinic server</source>
        <translation>Servidor de la clínica</translation>
    </message>
    <message>
        <source>If your clinic runs its own inference server, ClinicChat can send the questions to it instead of answering on this computer. IT gives you the address, an access key and, if the clinic has its own certificate authority, its certificate file. Conversations stay encrypted on this computer.</source>
        <translation>Si su clínica tiene su propio servidor de inferencia, ClinicChat puede enviarle las preguntas en lugar de responder en este ordenador. Informática le da la dirección, una clave de acceso y, si la clínica tiene su propia autoridad de certificación, su archivo de certificado. Las conversaciones siguen cifradas en este ordenador.</translation>
    </message>
    <message>
        <source>Your administrator has set this computer&apos;s clinic server: questions can go to this server only, and the greyed-out settings are theirs to change.</source>
        <translation>Su administrador ha fijado el servidor de la clínica de este ordenador: las preguntas solo pueden ir a este servidor, y los ajustes en gris solo los puede cambiar él.</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>&amp;Dirección del servidor:</translation>
    </message>
    <message>
        <source>Access &amp;key:</source>
        <translation>&amp;Clave de acceso:</translation>
    </message>
    <message>
        <source>&amp;Certificate authority file:</source>
        <translation>Archivo de la autoridad de ce&amp;rtificación:</translation>
    </message>
    <message>
        <source>Con&amp;text length:</source>
        <translation>Longitud del con&amp;texto:</translation>
    </message>
    <message>
        <source>Answers at &amp;once:</source>
        <translation>Respuestas a la &amp;vez:</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <source>Kept in the keychain; type to replace it</source>
        <translation>Guardada en el llavero; escriba para sustituirla</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguna</translation>
    </message>
    <message>
        <source>None: the system&apos;s authorities</source>
        <translation>Ninguno: las autoridades del sistema</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Examinar…</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> tokens</translation>
    </message>
    <message>
        <source>C&amp;heck connection</source>
        <translation>Com&amp;probar la conexión</translation>
    </message>
    <message>
        <source>&amp;Use this server</source>
        <translation>&amp;Usar este servidor</translation>
    </message>
    <message>
        <source>&amp;Remove server</source>
        <translation>&amp;Quitar el servidor</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Conectando con %1…</translation>
    </message>
    <message numerus="yes">
        <source>Connected. The server offers %n model(s).</source>
        <translation>
            <numerusform>Conectado. El servidor ofrece %n modelo.</numerusform>
            <numerusform>Conectado. El servidor ofrece %n modelos.</numerusform>
        </translation>
    </message>
    <message>
        <source>Connected. The server lists no models: type the model&apos;s name.</source>
        <translation>Conectado. El servidor no enumera modelos: escriba el nombre del modelo.</translation>
    </message>
    <message>
        <source>Certificate authority file</source>
        <translation>Archivo de la autoridad de certificación</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Certificados (*.pem *.crt *.cer);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Choose the model that answers: Check connection lists them.</source>
        <translation>Elija el modelo que responde: «Comprobar la conexión» los enumera.</translation>
    </message>
</context>
<context>
    <name>ServerFlow</name>
    <message>
        <source>Send questions to the clinic&apos;s server?</source>
        <translation>¿Enviar las preguntas al servidor de la clínica?</translation>
    </message>
    <message>
        <source>From now on, each question, the conversation before it and the document passages it uses are sent to %1 to be answered there, instead of staying on this computer.

Use it only if this is your clinic&apos;s own server and IT set it up for patient data. Your conversations stay encrypted on this computer, and the bar above the chat says where the questions go for as long as the server answers.

You can go back to a model on this computer at any time in the model list.</source>
        <translation>A partir de ahora, cada pregunta, la conversación anterior y los pasajes de documentos que use se envían a %1 para responderse allí, en lugar de quedarse en este ordenador.

Úselo solo si es el propio servidor de su clínica y Informática lo preparó para datos de pacientes. Sus conversaciones siguen cifradas en este ordenador, y la barra sobre el chat dice adónde van las preguntas mientras responda el servidor.

Puede volver a un modelo de este ordenador en cualquier momento desde la lista de modelos.</translation>
    </message>
    <message>
        <source>Send questions to %1</source>
        <translation>Enviar las preguntas a %1</translation>
    </message>
    <message>
        <source>The clinic&apos;s server is busy: asking again in %1 s (attempt %2 of %3).</source>
        <translation>El servidor de la clínica está ocupado: se vuelve a preguntar en %1 s (intento %2 de %3).</translation>
    </message>
    <message>
        <source>Clinic server</source>
        <translation>Servidor de la clínica</translation>
    </message>
    <message>
        <source>Your administrator does not allow a clinic server on this computer: questions are answered here only.</source>
        <translation>Su administrador no permite un servidor de la clínica en este ordenador: las preguntas solo se responden aquí.</translation>
    </message>
    <message>
        <source>This computer has no keychain, so the access key is kept only until ClinicChat closes.</source>
        <translation>Este ordenador no tiene llavero, así que la clave de acceso solo se guarda hasta que se cierre ClinicChat.</translation>
    </message>
    <message>
        <source>Settings could not be saved: %1</source>
        <translation>No se pudieron guardar los ajustes: %1</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>it must be on or off</source>
        <translation>debe estar activado o desactivado</translation>
    </message>
    <message>
        <source>it is not one of the choices</source>
        <translation>no es una de las opciones</translation>
    </message>
    <message>
        <source>it must be text</source>
        <translation>debe ser un texto</translation>
    </message>
    <message>
        <source>the text is too long</source>
        <translation>el texto es demasiado largo</translation>
    </message>
    <message>
        <source>it must be a number</source>
        <translation>debe ser un número</translation>
    </message>
    <message>
        <source>it must be a whole number</source>
        <translation>debe ser un número entero</translation>
    </message>
    <message>
        <source>{setting}: {value} is not between {low} and {high}</source>
        <translation>{setting}: {value} no está entre {low} y {high}</translation>
    </message>
    <message>
        <source>{setting}: {reason}</source>
        <translation>{setting}: {reason}</translation>
    </message>
    <message>
        <source>it needs %1 where the question goes</source>
        <translation>necesita %1 donde va la pregunta</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Language of the menus and messages.</source>
        <translation>Idioma de los menús y mensajes.</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Igual que el sistema</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Light or dark colours, or follow the system.</source>
        <translation>Colores claros u oscuros, o los del sistema.</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>Text size (%)</source>
        <translation>Tamaño del texto (%)</translation>
    </message>
    <message>
        <source>Makes all text larger or smaller; 100% is normal.</source>
        <translation>Agranda o reduce todo el texto; 100% es el tamaño normal.</translation>
    </message>
    <message>
        <source>Processor threads</source>
        <translation>Hilos del procesador</translation>
    </message>
    <message>
        <source>How many processor threads generate answers. More is not always faster; use &apos;Find best thread count&apos; to measure this computer.</source>
        <translation>Cuántos hilos del procesador generan las respuestas. Más no siempre es más rápido; use «Buscar el número óptimo de hilos» para medirlo en este equipo.</translation>
    </message>
    <message>
        <source>Answers at once</source>
        <translation>Respuestas a la vez</translation>
    </message>
    <message>
        <source>How many conversations the llama.cpp engine answers at the same time; more questions wait their turn. Each needs its own memory for the conversation, and more than this computer&apos;s cores can serve makes every answer slower.</source>
        <translation>Cuántas conversaciones responde a la vez el motor llama.cpp; las demás preguntas esperan su turno. Cada una necesita su propia memoria para la conversación, y más de las que pueden atender los núcleos de este ordenador hacen más lenta cada respuesta.</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Run the model on the processor (CPU) or on a graphics card (GPU).</source>
        <translation>Ejecutar el modelo en el procesador (CPU) o en una tarjeta gráfica (GPU).</translation>
    </message>
    <message>
        <source>Lock after idle minutes</source>
        <translation>Bloqueo por inactividad (minutos)</translation>
    </message>
    <message>
        <source>Hide the conversations after this many minutes without use; 0 = never.</source>
        <translation>Ocultar las conversaciones tras este número de minutos sin uso; 0 = nunca.</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>Modelo predeterminado</translation>
    </message>
    <message>
        <source>The model loaded when ClinicChat starts.</source>
        <translation>El modelo que se carga al iniciar ClinicChat.</translation>
    </message>
    <message>
        <source>Document search model</source>
        <translation>Modelo de búsqueda en documentos</translation>
    </message>
    <message>
        <source>The embedding model that also finds document passages by their meaning; without one, passages are found by their words.</source>
        <translation>El modelo de embeddings que también encuentra los pasajes de los documentos por su significado; sin él, los pasajes se encuentran por sus palabras.</translation>
    </message>
    <message>
        <source>Save conversations</source>
        <translation>Guardar las conversaciones</translation>
    </message>
    <message>
        <source>Keep conversations in the encrypted history. When off, new conversations are forgotten when ClinicChat closes.</source>
        <translation>Conservar las conversaciones en el historial cifrado. Si se desactiva, las conversaciones nuevas se olvidan al cerrar ClinicChat.</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motor</translation>
    </message>
    <message>
        <source>Which engine runs this model. Automatic picks the one that suits the file; an engine that cannot run it is not used. Applied when the model is next loaded.</source>
        <translation>Qué motor ejecuta este modelo. «Automático» elige el que corresponde al archivo; nunca se usa un motor que no puede ejecutarlo. Se aplica la próxima vez que se cargue el modelo.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automático</translation>
    </message>
    <message>
        <source>Speech model</source>
        <translation>Modelo de voz</translation>
    </message>
    <message>
        <source>The Whisper model that turns dictation and recordings into text, on this computer.</source>
        <translation>El modelo Whisper que convierte el dictado y las grabaciones en texto, en este ordenador.</translation>
    </message>
    <message>
        <source>Dictation language</source>
        <translation>Idioma del dictado</translation>
    </message>
    <message>
        <source>The language spoken in dictation and recordings; automatic tells it from the first seconds.</source>
        <translation>El idioma hablado en el dictado y las grabaciones; en automático se reconoce en los primeros segundos.</translation>
    </message>
    <message>
        <source>Context length (tokens)</source>
        <translation>Longitud del contexto (tokens)</translation>
    </message>
    <message>
        <source>How much conversation the model reads at once. Larger needs more memory; applied when the model is next loaded.</source>
        <translation>Cuánta conversación lee el modelo a la vez. Un valor mayor necesita más memoria; se aplica la próxima vez que se cargue el modelo.</translation>
    </message>
    <message>
        <source>Maximum answer length (tokens)</source>
        <translation>Longitud máxima de la respuesta (tokens)</translation>
    </message>
    <message>
        <source>An answer stops after this many tokens; never more than the context.</source>
        <translation>La respuesta se detiene tras este número de tokens; nunca más que el contexto.</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <source>Higher gives more varied answers, lower more predictable ones.</source>
        <translation>Un valor más alto da respuestas más variadas; uno más bajo, respuestas más predecibles.</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Only the likeliest words whose chances add up to this are considered.</source>
        <translation>Solo se consideran las palabras más probables cuyas probabilidades suman este valor.</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Words less likely than this share of the likeliest are ignored.</source>
        <translation>Se ignoran las palabras cuya probabilidad sea inferior a esta fracción de la de la palabra más probable.</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Only this many of the likeliest words are considered.</source>
        <translation>Solo se considera este número de palabras, las más probables.</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>Penalización por repetición</translation>
    </message>
    <message>
        <source>Discourages repeating recent words; 1 = no penalty.</source>
        <translation>Desalienta la repetición de palabras recientes; 1 = sin penalización.</translation>
    </message>
    <message>
        <source>Repeat penalty window (tokens)</source>
        <translation>Ventana de penalización por repetición (tokens)</translation>
    </message>
    <message>
        <source>How many recent tokens the repeat penalty looks at.</source>
        <translation>Cuántos tokens recientes tiene en cuenta la penalización por repetición.</translation>
    </message>
    <message>
        <source>Prompt batch size</source>
        <translation>Tamaño de lote del prompt</translation>
    </message>
    <message>
        <source>Tokens of the question read per step; larger can be faster.</source>
        <translation>Tokens de la pregunta que se leen en cada paso; un valor mayor puede ser más rápido.</translation>
    </message>
    <message>
        <source>Think before answering</source>
        <translation>Pensar antes de responder</translation>
    </message>
    <message>
        <source>For reasoning models such as Qwen3 on llama.cpp: the model works the question through first (slower). Its reasoning is shown folded under Reasoning, and is never copied, exported or saved as the answer.</source>
        <translation>Para modelos de razonamiento como Qwen3 en llama.cpp: el modelo razona la pregunta primero (más lento). Su razonamiento se muestra plegado bajo Razonamiento y nunca se copia, exporta ni guarda como respuesta.</translation>
    </message>
    <message>
        <source>Instructions given to the model before every conversation: plain text on llama.cpp, the model&apos;s own format on GPT4All. Empty the field to use the catalog&apos;s.</source>
        <translation>Instrucciones que recibe el modelo antes de cada conversación: texto normal en llama.cpp, el formato propio del modelo en GPT4All. Vacíe el campo para usar las del catálogo.</translation>
    </message>
    <message>
        <source>it must be one line of text</source>
        <translation>debe ser una sola línea de texto</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Dirección del servidor</translation>
    </message>
    <message>
        <source>The address IT gave for the clinic&apos;s server, starting with https://.</source>
        <translation>La dirección del servidor de la clínica que dio Informática, que empieza por https://.</translation>
    </message>
    <message>
        <source>Server model</source>
        <translation>Modelo del servidor</translation>
    </message>
    <message>
        <source>Which of the server&apos;s models answers.</source>
        <translation>Cuál de los modelos del servidor responde.</translation>
    </message>
    <message>
        <source>Certificate authority file</source>
        <translation>Archivo de la autoridad de certificación</translation>
    </message>
    <message>
        <source>The clinic&apos;s own certificate authority (a PEM file), when IT uses one.</source>
        <translation>La autoridad de certificación propia de la clínica (un archivo PEM), si Informática usa una.</translation>
    </message>
    <message>
        <source>Server context length</source>
        <translation>Longitud del contexto del servidor</translation>
    </message>
    <message>
        <source>How many tokens of the conversation the server&apos;s model holds (IT knows it).</source>
        <translation>Cuántos tokens de la conversación admite el modelo del servidor (Informática lo sabe).</translation>
    </message>
    <message>
        <source>Answers at once from the server</source>
        <translation>Respuestas a la vez del servidor</translation>
    </message>
    <message>
        <source>How many conversations on this computer the clinic&apos;s server answers at the same time; more questions wait their turn here. The server shares its work between them (IT knows how many it serves).</source>
        <translation>Cuántas conversaciones de este ordenador responde a la vez el servidor de la clínica; las demás preguntas esperan aquí su turno. El servidor reparte su trabajo entre ellas (Informática sabe cuántas atiende).</translation>
    </message>
    <message>
        <source>Server confirmed</source>
        <translation>Servidor confirmado</translation>
    </message>
    <message>
        <source>The server address the clinician agreed to send questions to.</source>
        <translation>La dirección del servidor a la que el profesional aceptó enviar preguntas.</translation>
    </message>
    <message>
        <source>Use the clinic&apos;s server</source>
        <translation>Usar el servidor de la clínica</translation>
    </message>
    <message>
        <source>Questions go to the clinic&apos;s server instead of a model on this computer.</source>
        <translation>Las preguntas van al servidor de la clínica en lugar de a un modelo de este ordenador.</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Instrucciones del sistema (system prompt)</translation>
    </message>
    <message>
        <source>Prompt template</source>
        <translation>Plantilla de prompt</translation>
    </message>
    <message>
        <source>How each question is wrapped for the model: %1 is the question, %2 the answer. Empty the field to use the catalog&apos;s.</source>
        <translation>Cómo se envuelve cada pregunta para el modelo: %1 es la pregunta y %2, la respuesta. Vacíe el campo para usar la del catálogo.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Opciones generales</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>Modelo: %1</translation>
    </message>
    <message>
        <source>Reset to catalog defaults</source>
        <translation>Restablecer los valores del catálogo</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Avanzado</translation>
    </message>
    <message>
        <source>How the model chooses its words, and its instructions and template in the model&apos;s own format. The catalog&apos;s values suit most uses.</source>
        <translation>Cómo elige el modelo sus palabras, y sus instrucciones y plantilla en el formato propio del modelo. Los valores del catálogo sirven para la mayoría de los usos.</translation>
    </message>
    <message>
        <source>Find best thread count…</source>
        <translation>Buscar el número óptimo de hilos…</translation>
    </message>
</context>
<context>
    <name>SettingsFlow</name>
    <message>
        <source>Settings could not be saved: %1</source>
        <translation>No se ha podido guardar la configuración: %1</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Orden</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <source>ClinicChat is already open</source>
        <translation>ClinicChat ya está abierto</translation>
    </message>
    <message>
        <source>ClinicChat is already open for this user, but it did not respond. Wait a moment and try again. If it still does not respond, close it (or sign out and back in) before starting ClinicChat again.</source>
        <translation>ClinicChat ya está abierto para este usuario, pero no responde. Espere un momento y vuelva a intentarlo. Si sigue sin responder, ciérrelo (o cierre la sesión y vuelva a iniciarla) antes de abrir ClinicChat de nuevo.</translation>
    </message>
</context>
<context>
    <name>Sources</name>
    <message>
        <source>%1, page %2</source>
        <translation>%1, página %2</translation>
    </message>
</context>
<context>
    <name>Speech</name>
    <message>
        <source>&apos;{name}&apos; could not be read as audio. ClinicChat reads WAV, MP3, M4A, OGG, FLAC and most other recordings; this file may be damaged or not a recording.</source>
        <extracomment>Longer recordings are refused: at a real-time factor near 4 on a clinic PC, five hours of audio would take more than an hour, and nobody dictates that much at once.</extracomment>
        <translation>«{name}» no se pudo leer como audio. ClinicChat lee WAV, MP3, M4A, OGG, FLAC y casi cualquier otra grabación; puede que el archivo esté dañado o no sea una grabación.</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; could not be opened: {reason}</source>
        <translation>No se pudo abrir «{name}»: {reason}</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; holds no sound to transcribe.</source>
        <translation>«{name}» no contiene sonido que transcribir.</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; lasts {length}; ClinicChat transcribes recordings of up to {limit}. Split it into shorter parts.</source>
        <translation>«{name}» dura {length}; ClinicChat transcribe grabaciones de hasta {limit}. Divídala en partes más cortas.</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; lasts more than {limit}; ClinicChat transcribes recordings of up to that length. Split it into shorter parts.</source>
        <translation>«{name}» dura más de {limit}; ClinicChat transcribe grabaciones de hasta esa duración. Divídala en partes más cortas.</translation>
    </message>
    <message>
        <source>99 languages, including Spanish and English</source>
        <extracomment>Short name used on the command line and in settings (&apos;base&apos;). Memory while transcribing on the CPU (int8), in MB. Millions of weights (OpenAI&apos;s published sizes): how much work each second of sound is. Untranslated English; the UI translates it in the &quot;Speech&quot; context. Where the repository is published; `speech download --mirror` (a clinic&apos;s copy) and the tests (a copy on 127.0.0.1) replace it.</extracomment>
        <translation>99 idiomas, entre ellos español e inglés</translation>
    </message>
    <message>
        <source>The fastest; makes more mistakes, especially with drug names. For a slow PC.</source>
        <translation>El más rápido; comete más errores, sobre todo con nombres de fármacos. Para un PC lento.</translation>
    </message>
    <message>
        <source>Fast on any PC and good for dictation in a quiet room. Recommended.</source>
        <translation>Rápido en cualquier PC y bueno para dictar en una sala tranquila. Recomendado.</translation>
    </message>
    <message>
        <source>More accurate than base, and several times slower. Good for recorded consultations on a PC with 4 cores or more.</source>
        <translation>Más preciso que base y varias veces más lento. Bueno para consultas grabadas en un PC de 4 núcleos o más.</translation>
    </message>
    <message>
        <source>The most accurate here, close to Whisper&apos;s large model yet much faster than it; still slow without a graphics card. For recorded consultations on a strong PC.</source>
        <translation>El más preciso de estos, cercano al modelo grande de Whisper pero mucho más rápido; aun así lento sin tarjeta gráfica. Para consultas grabadas en un PC potente.</translation>
    </message>
    <message>
        <source>The speech model &apos;{name}&apos; is not installed. Download it in the model manager, or with &apos;clinichat speech download {name}&apos;.</source>
        <extracomment>Called with (bytes checked so far, bytes to check in all).</extracomment>
        <translation>El modelo de voz «{name}» no está instalado. Descárguelo en el gestor de modelos o con «clinichat speech download {name}».</translation>
    </message>
    <message>
        <source>No speech model is installed. Download one in the model manager, or with &apos;clinichat speech download base&apos;.</source>
        <translation>No hay ningún modelo de voz instalado. Descargue uno en el gestor de modelos o con «clinichat speech download base».</translation>
    </message>
    <message>
        <source>There is no speech model called &apos;{name}&apos;. The catalog has: {names}.</source>
        <translation>No existe ningún modelo de voz llamado «{name}». El catálogo tiene: {names}.</translation>
    </message>
    <message>
        <source>{file} of the speech model &apos;{name}&apos; is not the published file (its size or checksum differs), so it was not installed.</source>
        <translation>{file} del modelo de voz «{name}» no es el archivo publicado (su tamaño o su suma de comprobación difiere), así que no se instaló.</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is not a folder holding a speech model.</source>
        <extracomment>Seconds of sound given to Whisper at once, and how far back from a window&apos;s end the quietest moment is looked for. A word heard up to this long before the new sound starts is the new sound&apos;s (the cut between utterances lies in a pause, and Whisper&apos;s word times are that approximate). A phrase heard this many times in a row is a decoding loop, not speech. Files a CTranslate2 Whisper model folder must hold. Without tokenizer.json faster-whisper would fetch one from the internet, so a folder lacking it is refused before loading.</extracomment>
        <translation>«{path}» no es una carpeta con un modelo de voz.</translation>
    </message>
    <message>
        <source>&apos;{path}&apos; is not a complete Whisper model in CTranslate2 format: it needs model.bin, config.json, tokenizer.json and a vocabulary file.</source>
        <translation>«{path}» no es un modelo Whisper completo en formato CTranslate2: necesita model.bin, config.json, tokenizer.json y un archivo de vocabulario.</translation>
    </message>
    <message>
        <source>The speech model in &apos;{path}&apos; could not be loaded: {reason}</source>
        <translation>No se pudo cargar el modelo de voz de «{path}»: {reason}</translation>
    </message>
    <message>
        <source>The microphone stopped sending sound (was it unplugged?). What was heard until then is in the question box.</source>
        <extracomment>A pause this long after speech ends an utterance (the voice detector&apos;s pad included). How often the voice detector looks at what is held. An utterance without a pause is cut at its quietest moment after this long (with the context before it, it stays within one 30-second Whisper window). Silence kept when no one speaks (the start of a word must not be cut off). A device giving only exact zeros this long is silenced by the system (permission). With no block at all this long, the microphone has stopped delivering sound. Seconds of the previous utterance given to Whisper with the next (see transcribe_after). The end of the sound already transcribed, heard again before the next utterance. Seconds of sound transcribed, and seconds spent on it (for the speed log).</extracomment>
        <translation>El micrófono dejó de enviar sonido (¿se ha desconectado?). Lo que se oyó hasta entonces está en el cuadro de pregunta.</translation>
    </message>
    <message>
        <source>The microphone sends only silence: it may be muted, or the system may not let ClinicChat use it (on Windows and macOS, see the privacy settings for the microphone).</source>
        <translation>El micrófono solo envía silencio: puede estar silenciado, o el sistema no deja que ClinicChat lo use (en Windows y macOS, vea los ajustes de privacidad del micrófono).</translation>
    </message>
    <message>
        <source>Dictation needs the PortAudio library, which this computer lacks. On Debian or Ubuntu install it with: sudo apt-get install libportaudio2</source>
        <extracomment>Seconds of sound in one block from PortAudio.</extracomment>
        <translation>El dictado necesita la biblioteca PortAudio, que falta en este equipo. En Debian o Ubuntu instálela con: sudo apt-get install libportaudio2</translation>
    </message>
    <message>
        <source>No microphone was found. Connect one, or check that it is switched on and chosen as the system&apos;s input, and try again.</source>
        <extracomment>Loudness of the latest block, 0 (silence) to 1 (full scale), for a level meter.</extracomment>
        <translation>No se encontró ningún micrófono. Conecte uno, o compruebe que está encendido y elegido como entrada del sistema, y vuelva a intentarlo.</translation>
    </message>
    <message>
        <source>The microphone could not be opened ({reason}). On Windows and macOS, check in the system&apos;s privacy settings that ClinicChat may use it.</source>
        <translation>No se pudo abrir el micrófono ({reason}). En Windows y macOS, compruebe en los ajustes de privacidad del sistema que ClinicChat puede usarlo.</translation>
    </message>
</context>
<context>
    <name>SpeechCard</name>
    <message>
        <source>under a minute</source>
        <extracomment>None, or the verification&apos;s outcome: [] (all good) or the damaged files.</extracomment>
        <translation>menos de un minuto</translation>
    </message>
    <message>
        <source>about %1 min</source>
        <translation>unos %1 min</translation>
    </message>
    <message>
        <source>A 10-minute recording takes %1 on this computer (measured).</source>
        <translation>Una grabación de 10 minutos tarda %1 en este equipo (medido).</translation>
    </message>
    <message>
        <source>A 10-minute recording should take %1 on this computer (estimate from its size).</source>
        <translation>Una grabación de 10 minutos debería tardar %1 en este equipo (estimación según su tamaño).</translation>
    </message>
    <message>
        <source>used for dictation</source>
        <translation>usado para el dictado</translation>
    </message>
    <message>
        <source>needs about %1 of memory</source>
        <translation>necesita unos %1 de memoria</translation>
    </message>
    <message>
        <source>licence %1</source>
        <translation>licencia %1</translation>
    </message>
    <message>
        <source>Downloading… %1 of %2</source>
        <translation>Descargando… %1 de %2</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Verificando…</translation>
    </message>
    <message>
        <source>Installed; every file matches the published checksums.</source>
        <translation>Instalado; todos los archivos coinciden con las sumas de comprobación publicadas.</translation>
    </message>
    <message>
        <source>Damaged: %1 differs from the published file. Remove it and download it again.</source>
        <translation>Dañado: %1 difiere del archivo publicado. Elimínelo y vuelva a descargarlo.</translation>
    </message>
    <message>
        <source>Installed.</source>
        <translation>Instalado.</translation>
    </message>
    <message>
        <source>Not installed.</source>
        <translation>No instalado.</translation>
    </message>
    <message>
        <source>It needs more than half of this computer&apos;s memory.</source>
        <translation>Necesita más de la mitad de la memoria de este ordenador.</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>Cancelar la descarga</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message>
        <source>Use for dictation</source>
        <translation>Usar para el dictado</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>Verificar</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Eliminar…</translation>
    </message>
</context>
<context>
    <name>SpeechFlows</name>
    <message>
        <source>Recording a consultation</source>
        <translation>Grabando una consulta</translation>
    </message>
    <message>
        <source>A consultation is being recorded. Quit and lose its transcript?</source>
        <translation>Se está grabando una consulta. ¿Salir y perder su transcripción?</translation>
    </message>
    <message>
        <source>● Recording — ClinicChat</source>
        <translation>● Grabando — ClinicChat</translation>
    </message>
</context>
<context>
    <name>SpeechModelsPage</name>
    <message>
        <source>Speech models turn dictation and recorded consultations into text on this computer; no sound leaves it. Check every transcript: drug names and doses can be misheard.</source>
        <translation>Los modelos de voz convierten el dictado y las consultas grabadas en texto en este ordenador; ningún sonido sale de él. Revise cada transcripción: los nombres de fármacos y las dosis pueden entenderse mal.</translation>
    </message>
    <message>
        <source>Remove speech model</source>
        <translation>Eliminar el modelo de voz</translation>
    </message>
    <message>
        <source>Remove %1 (%2) from this computer?</source>
        <translation>¿Eliminar %1 (%2) de este ordenador?</translation>
    </message>
</context>
<context>
    <name>StarterNotice</name>
    <message>
        <source>About the starter model</source>
        <translation>Sobre el modelo inicial</translation>
    </message>
    <message>
        <source>%1 is downloaded and verified. Use it instead of the starter model?</source>
        <translation>%1 está descargado y verificado. ¿Desea usarlo en lugar del modelo inicial?</translation>
    </message>
    <message>
        <source>Use %1</source>
        <translation>Usar %1</translation>
    </message>
    <message>
        <source>You are using the starter model. It is tiny and often wrong: it is only for trying ClinicChat, not for clinical use. For real work, get a model that fits this computer.</source>
        <translation>Está usando el modelo inicial. Es diminuto y a menudo se equivoca: solo sirve para probar ClinicChat, no para uso clínico. Para trabajar de verdad, obtenga un modelo adecuado para este equipo.</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Dismiss the note about the starter model</source>
        <translation>Descartar el aviso sobre el modelo inicial</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>Working</source>
        <translation>Procesando</translation>
    </message>
    <message>
        <source>%1 answering</source>
        <translation>%1 respondiendo</translation>
    </message>
    <message>
        <source>%1 waiting</source>
        <translation>%1 en espera</translation>
    </message>
    <message>
        <source>%1 tokens/s · first word after %2 s</source>
        <translation>%1 tokens/s · primera palabra tras %2 s</translation>
    </message>
</context>
<context>
    <name>ThreadChart</name>
    <message>
        <source>Tokens per second for each thread count</source>
        <translation>Tokens por segundo para cada número de hilos</translation>
    </message>
    <message>
        <source>threads (bars: tokens per second)</source>
        <translation>hilos (barras: tokens por segundo)</translation>
    </message>
</context>
<context>
    <name>ThreadFinderDialog</name>
    <message>
        <source>Answering the same short question with each number of threads. This takes a little while; questions wait until it is done.</source>
        <translation>Se responde a la misma pregunta breve con cada número de hilos. Esto tarda un poco; las preguntas esperan hasta que termine.</translation>
    </message>
    <message>
        <source>Find best thread count</source>
        <translation>Buscar el número óptimo de hilos</translation>
    </message>
    <message>
        <source>about %1 seconds</source>
        <translation>unos %1 segundos</translation>
    </message>
    <message>
        <source>about a minute</source>
        <translation>alrededor de un minuto</translation>
    </message>
    <message>
        <source>about %1 minutes</source>
        <translation>unos %1 minutos</translation>
    </message>
    <message>
        <source>about %1 hours</source>
        <translation>unas %1 horas</translation>
    </message>
    <message>
        <source>The time comes from the last measurement of this model on this computer.</source>
        <translation>El tiempo se basa en la última medición de este modelo en este ordenador.</translation>
    </message>
    <message>
        <source>This is a rough estimate from the model&apos;s size: this model has not been measured on this computer yet, and it can take noticeably longer or shorter.</source>
        <translation>Es una estimación aproximada a partir del tamaño del modelo: este modelo aún no se ha medido en este ordenador y puede tardar bastante más o bastante menos.</translation>
    </message>
    <message>
        <source>To find the fastest setting, ClinicChat answers the same short question once with each number of threads from 1 to %1, using %2. This takes %3. Questions wait until it is done; you can cancel it at any time.</source>
        <translation>Para encontrar el ajuste más rápido, ClinicChat responde la misma pregunta breve una vez con cada número de hilos, de 1 a %1, usando %2. Esto tarda %3. Las preguntas esperan hasta que termine; puede cancelarlo en cualquier momento.</translation>
    </message>
    <message>
        <source>Start the measurement now?</source>
        <translation>¿Desea iniciar la medición ahora?</translation>
    </message>
    <message>
        <source>The measurement was cancelled; nothing was changed.</source>
        <translation>Se ha cancelado la medición; no se ha cambiado nada.</translation>
    </message>
    <message numerus="yes">
        <source>With %n thread(s) the speed is within 5% of the fastest, so ClinicChat now uses %n.</source>
        <translation>
            <numerusform>Con %n hilo la velocidad está a menos del 5 % de la más rápida, así que ClinicChat usa ahora %n.</numerusform>
            <numerusform>Con %n hilos la velocidad está a menos del 5 % de la más rápida, así que ClinicChat usa ahora %n.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 tokens/s</source>
        <translation>%1: %2 tokens/s</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
</context>
<context>
    <name>ThreadFinding</name>
    <message>
        <source>The clinic&apos;s server answers now, and it decides how it computes: the thread count is for models on this computer.</source>
        <translation>Ahora responde el servidor de la clínica, que decide cómo calcula: el número de hilos es para los modelos de este ordenador.</translation>
    </message>
    <message>
        <source>Wait until the model is loaded and has finished answering, then try again.</source>
        <translation>Espere a que el modelo se cargue y termine de responder, y vuelva a intentarlo.</translation>
    </message>
</context>
<context>
    <name>TranscriptionFlow</name>
    <message>
        <source>Transcribe a recording</source>
        <extracomment>(seconds transcribed, seconds in the file or 0 when it does not say) The transcript (empty when no speech was heard).</extracomment>
        <translation>Transcribir una grabación</translation>
    </message>
    <message>
        <source>Recordings (%1);;All files (*)</source>
        <translation>Grabaciones (%1);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Transcribing</source>
        <translation>Transcribiendo</translation>
    </message>
    <message>
        <source>Loading the speech model…</source>
        <translation>Cargando el modelo de voz…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Transcribing %1: %2 of %3</source>
        <translation>Transcribiendo %1: %2 de %3</translation>
    </message>
    <message>
        <source>Transcribing %1: %2</source>
        <translation>Transcribiendo %1: %2</translation>
    </message>
    <message>
        <source>No speech was heard in this recording.</source>
        <translation>No se oyó ninguna voz en esta grabación.</translation>
    </message>
</context>
</TS>
